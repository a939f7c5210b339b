// The API page: Swagger UI from docgen's own server (no CDN), started here, not inline.
"use strict";
window.addEventListener("DOMContentLoaded", () => {
  if (typeof window.SwaggerUIBundle !== "function") {
    document.getElementById("swagger-ui").textContent =
      "接口浏览器未安装（pip install fastapi-offline）；接口说明见 /openapi.json。";
    return;
  }
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
