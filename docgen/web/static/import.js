// 拟文: a Word draft or pasted text fills the form; every paragraph is listed with its role,
// and choosing another role moves its text (POST /api/import/reassign); the preview follows.
"use strict";

(() => {
  const { el, api, problemList, status } = docgen;
  const $ = (id) => document.getElementById(id);
  const page = window.draftPage;
  const state = { paragraphs: [], roles: [] };

  $("import-file").addEventListener("change", (e) => {
    $("import-name").textContent = e.target.files[0] ? e.target.files[0].name : "";
  });

  async function run() {
    const form = new FormData();
    const file = $("import-file").files[0];
    if (file) form.append("file", file);
    else form.append("text", $("import-text").value);
    status($("import-status"), "正在识别…", "");
    const { status: code, data } = await api("POST", "/api/import", form);
    if (code !== 200) {
      status($("import-status"), "", "");
      $("import-paragraphs").replaceChildren(problemList(data.problems || []));
      return;
    }
    if (!state.roles.length) state.roles = (await api("GET", "/api/import/roles")).data || [];
    state.paragraphs = data.report.paragraphs || [];
    page.state.draftId = null;
    await page.loadKind(data.model.kind, data.model);
    status($("import-status"), `已识别为${data.report.kind_reason || data.model.kind}；请核对每段的角色`, "ok");
    showParagraphs();
  }

  function showParagraphs() {
    $("import-paragraphs").replaceChildren(
      el("table", { class: "list", id: "paragraph-roles" },
        el("thead", {}, el("tr", {}, el("th", {}, "位置"), el("th", {}, "内容"), el("th", {}, "识别为"))),
        el("tbody", {}, state.paragraphs.map((p, i) => {
          const choices = state.roles.includes(p.role) ? state.roles : [p.role, ...state.roles];
          return el("tr", { "data-index": i },
            el("td", {}, p.where),
            el("td", {}, p.text, p.note ? el("small", { class: "help" }, p.note) : null),
            el("td", {}, el("select", { "aria-label": `${p.where}的角色`, onchange: (e) => change(i, e.target.value) },
              choices.map((r) => el("option", { value: r, selected: r === p.role }, r)))));
        }))),
    );
  }

  async function change(index, role) {
    const { status: code, data } = await api("POST", "/api/import/reassign", {
      model: page.state.model, paragraphs: state.paragraphs, index, role,
    });
    if (code !== 200) {
      $("import-paragraphs").prepend(problemList(data.problems || []));
      return;
    }
    state.paragraphs = data.paragraphs;
    await page.loadKind(data.model.kind || page.state.model.kind, data.model); // form and preview follow
    showParagraphs();
  }

  $("import-run").addEventListener("click", run);
})();
