// Helpers shared by the pages: calling /api, building elements, showing problems, downloads.
"use strict";

const docgen = (() => {
  /** Build an element: el("div", {class: "x", onclick: fn}, child, "text"). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** fetch() that always resolves to {status, data, response}; data is JSON when JSON came back. */
  async function api(method, url, body) {
    const init = { method, headers: {} };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (err) {
      const problem = { message: "无法连接服务器：运行工作台的电脑是否开着、工作台是否仍在运行？", severity: "error" };
      return { status: 0, data: { problems: [problem] }, response: null };
    }
    const type = response.headers.get("Content-Type") || "";
    const data = type.includes("application/json") ? await response.json() : null;
    return { status: response.status, data, response };
  }

  /** The file name a download response carries (RFC 6266 filename* first). */
  function filenameOf(response, fallback) {
    const header = response.headers.get("Content-Disposition") || "";
    const star = header.match(/filename\*=UTF-8''([^;]+)/i);
    if (star) return decodeURIComponent(star[1]);
    const plain = header.match(/filename="?([^";]+)"?/i);
    return plain ? plain[1] : fallback;
  }

  function saveBlob(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name, class: "hidden" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  /** A list of problems as the CLI says them, errors first. */
  function problemList(problems) {
    const sorted = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
    return el(
      "ul",
      { class: "problems" },
      sorted.map((p) => el("li", { class: p.severity === "warning" ? "warning" : "error" }, p.text || p.message)),
    );
  }

  function status(node, text, kind) {
    node.textContent = text;
    node.className = "status" + (kind ? " " + kind : "");
  }

  /**
   * For a view several requests refresh (the page's first load, then a click): each call
   * starts a request and returns a check that is true only while it is the newest one.
   * An older answer can arrive later on a busy server and must not paint over a newer one.
   */
  function newestOnly() {
    let last = 0;
    return () => {
      const mine = ++last;
      return () => mine === last;
    };
  }

  /** A time the server gives (ISO, with or without its offset) in the clerk's own clock. */
  function localTime(iso) {
    if (!iso) return "";
    const when = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + "Z");
    if (Number.isNaN(when.getTime())) return iso;
    const pad = (n) => String(n).padStart(2, "0");
    return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())} ${pad(when.getHours())}:${pad(when.getMinutes())}`;
  }

  return { el, api, filenameOf, saveBlob, problemList, status, newestOnly, localTime };
})();
