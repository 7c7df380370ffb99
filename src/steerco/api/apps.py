from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "steerco.api"
    label = "api"
    verbose_name = "JSON API and its tokens"
    # The OpenAPI description of the token scheme (steerco.api.schema) registers itself when
    # the API's views are imported with the URL configuration, before any schema is built;
    # importing it here cost every command a quarter of a second (DRF, drf-spectacular).
