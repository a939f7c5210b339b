// 文号: the next number for a code and year, the issued ones with search, reserving one with a reason.
"use strict";

(() => {
  const { el, api, problemList, status, newestOnly, localTime } = docgen;
  const $ = (id) => document.getElementById(id);
  const KINDS = { supervision: "督办单", manual: "预留", letter: "函", request: "请示", minutes: "纪要" };
  let timer = null;
  const request = newestOnly();

  function query() {
    const params = new URLSearchParams();
    const code = $("code").value.trim();
    const year = $("year").value.trim();
    const q = $("search").value.trim();
    if (code) params.set("code", code);
    if (year) params.set("year", year);
    if (q) params.set("q", q);
    return params.toString();
  }

  async function show() {
    const isNewest = request();
    const { status: code, data } = await api("GET", `/api/numbers?${query()}`);
    if (!isNewest()) return; // a later show() (e.g. after the load-time one) paints the page
    if (code !== 200) {
      status($("numbers-status"), (data.problems || []).map((p) => p.message).join("；"), "error");
      return;
    }
    status($("numbers-status"), "", "");
    $("next-number").textContent = data.next ? data.next.number : "（请填写代字后查看）";
    $("issued").tBodies[0].replaceChildren(
      ...data.issued.map((r) =>
        el("tr", {},
          el("td", {}, r.number), el("td", {}, KINDS[r.kind] || r.kind), el("td", {}, r.title),
          el("td", {}, r.unit), el("td", {}, r.date), el("td", { class: r.note.includes("已作废") ? "void" : "" }, r.note),
          el("td", {}, localTime(r.issued_at)),
          el("td", {}, r.note.includes("已作废") ? "" : el("button", { type: "button", class: "remove", onclick: () => voidNumber(r) }, "作废…")))),
    );
    if (!data.issued.length) {
      $("issued").tBodies[0].append(el("tr", {}, el("td", { colspan: 8, class: "hint" }, "没有符合条件的文号")));
    }
  }

  /** 作废: the row stays with its reason; the number is never given to another document. */
  async function voidNumber(r) {
    const reason = window.prompt(`作废 ${r.number}（${r.title || "无标题"}）的原因：`, "取号后未发文");
    if (reason === null) return;
    if (!window.confirm(`确定作废 ${r.number}？\n记录保留并注明“已作废”，此号不会再发给其他文件。`)) return;
    const { status: code, data } = await api("POST", "/api/numbers/void", { number: r.number, reason });
    if (code !== 200) {
      $("reserve-result").replaceChildren(el("div", { class: "box problems-box" }, problemList(data.problems || [])));
      return;
    }
    await show();
    status($("numbers-status"), `已作废 ${r.number}（记录保留）`, "ok");
  }

  async function reserve() {
    const code = $("reserve-code").value.trim();
    const year = Number($("year").value.trim()) || new Date().getFullYear();
    const missing = !code ? "请填写机关代字" : !$("reserve-reason").value.trim() ? "请填写预留原因" : "";
    if (missing) {
      $("reserve-result").replaceChildren(el("p", { class: "status error" }, missing));
      return;
    }
    const ahead = await api("GET", `/api/numbers?code=${encodeURIComponent(code)}&year=${year}`);
    if (ahead.status !== 200) {
      $("reserve-result").replaceChildren(el("div", { class: "box problems-box" }, problemList(ahead.data.problems || [])));
      return;
    }
    const number = ahead.data.next.number;
    if (!window.confirm(`预留并登记 ${number}？\n此后不再发给其他文件；如不再需要，可作废（记录保留）。`)) return;
    const body = {
      code,
      year: Number($("year").value.trim()) || null,
      title: $("reserve-title").value,
      unit: $("reserve-unit").value,
      reason: $("reserve-reason").value,
    };
    const { status: answer, data } = await api("POST", "/api/numbers", body);
    if (answer !== 201) {
      $("reserve-result").replaceChildren(el("div", { class: "box problems-box" }, problemList(data.problems || [])));
      return;
    }
    await show(); // the next number and the list first, then the confirmation
    $("reserve-result").replaceChildren(el("p", { id: "reserved", class: "status ok" }, `已预留并登记：${data.number}`));
  }

  $("code").addEventListener("change", () => { if (!$("reserve-code").value.trim()) $("reserve-code").value = $("code").value.trim(); });
  $("show").addEventListener("click", show);
  $("reserve").addEventListener("click", reserve);
  $("search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(show, 300);
  });
  $("code").addEventListener("keydown", (e) => { if (e.key === "Enter") show(); });
  show();
})();
