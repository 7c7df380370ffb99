// Swagger UI's request-body editor ("Try it out") carries no label: name it for screen readers.
"use strict";
new MutationObserver(() => {
  for (const box of document.querySelectorAll("textarea.body-param__text:not([aria-label])")) {
    box.setAttribute("aria-label", "Request body (JSON)");
  }
}).observe(document.body, { childList: true, subtree: true });
