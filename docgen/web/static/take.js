// 拟文: the 发文字号 from the register. The clerk chooses the code, sees the next number, and
// takes it when the document is final (after a confirmation); it goes into the form and the
// preview. A number taken by mistake is voided on the 文号 page, never given again.
"use strict";

(() => {
  const { el, api, problemList, status } = docgen;
  const $ = (id) => document.getElementById(id);
  const page = window.draftPage;
  let timer = null;

  function query() {
    const params = new URLSearchParams({ code: $("take-code").value.trim() });
    const year = $("take-year").value.trim();
    if (year) params.set("year", year);
    return params.toString();
  }

  async function codes() {
    const { status: code, data } = await api("GET", "/api/numbers?year=" + encodeURIComponent($("take-year").value.trim()));
    if (code !== 200) return;
    const known = [...new Set((data.codes || []).map((c) => c.code))];
    $("known-codes").replaceChildren(...known.map((c) => el("option", { value: c })));
  }

  async function next() {
    const code = $("take-code").value.trim();
    if (!code) {
      $("take-next").textContent = "（填写代字后显示）";
      return null;
    }
    const { status: answer, data } = await api("GET", `/api/numbers?${query()}`);
    if (answer !== 200) {
      $("take-next").textContent = (data.problems || []).map((p) => p.message).join("；");
      return null;
    }
    $("take-next").textContent = data.next.number;
    return data.next.number;
  }

  async function take() {
    const model = page.state.model || {};
    const number = await next();
    if (!number) {
      status($("take-result"), "请先填写机关代字", "error");
      return;
    }
    const title = (model.title || "").trim();
    if (!title) {
      status($("take-result"), "请先填写标题：登记时写明是哪一份文件", "error");
      return;
    }
    const sure = window.confirm(
      `定稿取号：将把 ${number} 登记给《${title}》。\n登记后此号不再发给其他文件；如误取，可在“文号”页作废（记录保留）。\n确定取号吗？`);
    if (!sure) return;
    const issuer = Array.isArray(model.issuer) ? model.issuer[0] : model.issuer;
    const body = { code: $("take-code").value.trim(), kind: model.kind || "", title, unit: issuer || "" };
    const year = Number($("take-year").value.trim());
    if (year) body.year = year;
    const { status: answer, data } = await api("POST", "/api/numbers/take", body);
    if (answer !== 201) {
      $("take-result").replaceChildren(problemList(data.problems || []));
      return;
    }
    model.number = data.number;
    await page.loadKind(model.kind, model); // the form shows it; the preview follows
    status($("take-result"), `已取号并登记：${data.number}`, "ok");
    next();
  }

  $("take-year").value = String(new Date().getFullYear());
  $("number-box").addEventListener("toggle", () => { if ($("number-box").open) { codes(); next(); } });
  $("take-code").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(next, 300); });
  $("take-year").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(next, 300); });
  $("take-number").addEventListener("click", take);
})();
