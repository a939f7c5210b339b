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
          el("td", {}, r.unit), el("td", {}, r.date), el("td", {}, r.note),
          el("td", {}, localTime(r.issued_at)))),
    );
    if (!data.issued.length) {
      $("issued").tBodies[0].append(el("tr", {}, el("td", { colspan: 7, class: "hint" }, "没有符合条件的文号")));
    }
  }

  async function reserve() {
    const body = {
      code: $("code").value.trim(),
      year: Number($("year").value.trim()) || null,
      title: $("reserve-title").value,
      unit: $("reserve-unit").value,
      reason: $("reserve-reason").value,
    };
    const { status: code, data } = await api("POST", "/api/numbers", body);
    if (code !== 201) {
      $("reserve-result").replaceChildren(el("div", { class: "box problems-box" }, problemList(data.problems || [])));
      return;
    }
    await show(); // the next number and the list first, then the confirmation
    $("reserve-result").replaceChildren(el("p", { id: "reserved", class: "status ok" }, `已预留并登记：${data.number}`));
  }

  $("show").addEventListener("click", show);
  $("reserve").addEventListener("click", reserve);
  $("search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(show, 300);
  });
  $("code").addEventListener("keydown", (e) => { if (e.key === "Enter") show(); });
  show();
})();
