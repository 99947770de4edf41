// Starts Swagger UI on /docs. An external file, not an inline script, so the page keeps the
// default Content-Security-Policy (script-src 'self'). The OpenAPI URL comes from the page.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.relmapDocs = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    domNode: root,
    deepLinking: true,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    tryItOutEnabled: false,
    persistAuthorization: false,
    withCredentials: true,
  });
})();
