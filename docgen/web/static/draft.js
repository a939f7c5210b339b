// 拟文: pick a kind, fill the form, see problems beside the fields and the pages as they will print.
"use strict";

(() => {
  const { el, api, filenameOf, saveBlob, problemList, status } = docgen;
  const DELAY_MS = 500; // check and preview this long after typing stops

  const $ = (id) => document.getElementById(id);
  const kindSelect = $("kind");
  const formNode = $("form");
  const pagesNode = $("pages");
  const summary = $("summary");
  const previewStatus = $("preview-status");
  const draftStatus = $("draft-status");

  const state = { form: null, model: null, draftId: null, timer: null, generation: 0, pageUrls: [], loads: 0 };

  async function loadKind(kind, model) {
    const token = ++state.loads; // a slower, earlier load must not replace a later form
    const { status: code, data } = await api("GET", `/api/schema/${encodeURIComponent(kind)}`);
    if (token !== state.loads) return;
    if (code !== 200) {
      summary.replaceChildren(problemList(data.problems));
      return;
    }
    state.model = model || { kind };
    state.model.kind = kind;
    kindSelect.value = kind;
    state.form = new SchemaForm.Form(formNode, data, state.model, {
      onChange: schedule,
      onSeal: uploadSeal,
    });
    schedule();
  }

  function schedule() {
    clearTimeout(state.timer);
    state.timer = setTimeout(refresh, DELAY_MS);
    status(draftStatus, state.draftId ? "有未保存的修改" : "", "");
  }

  function payload() {
    return SchemaForm.clean(state.model) || { kind: kindSelect.value };
  }

  /** Check, then (if nothing stops it) draw the pages; stale answers are dropped. */
  async function refresh() {
    const generation = ++state.generation;
    const model = payload();
    const checked = await api("POST", "/api/check", model);
    if (generation !== state.generation) return;
    const problems = (checked.data && checked.data.problems) || [];
    state.form.showProblems(problems);
    const errors = problems.filter((p) => p.severity === "error" && !p.check);
    const hints = problems.filter((p) => p.check);
    const notes = problems.filter((p) => p.severity !== "error" && !p.check);
    summary.replaceChildren(
      errors.length
        ? el("div", { class: "box problems-box", id: "to-fix" },
            el("p", {}, `还有 ${errors.length} 处需要填写或改正：`), linkedList(errors))
        : "",
      hints.length
        ? el("div", { class: "box hints-box", id: "hints" },
            el("p", {}, `核稿提示 ${hints.length} 处（不影响排版）：`,
              el("button", { type: "button", id: "fix-all", onclick: fixAll }, "全部改正")),
            linkedList(hints))
        : "",
      notes.length ? el("div", { class: "box" }, el("p", {}, "提醒："), linkedList(notes)) : "",
    );
    // As `docgen render`: only the input's own errors stop the layout, not 核稿 findings.
    const blocking = errors.filter((p) => !p.check);
    if (checked.status !== 200 && (blocking.length || !checked.data)) {
      status(previewStatus, "改正错误后更新预览", "warning");
      pagesNode.classList.add("stale");
      return;
    }
    await preview(model, generation);
  }

  /** The Chinese name of a problem's field: "attachments[1].title（附件[1].标题）" → 附件[1].标题. */
  function fieldLabel(p) {
    const m = /（(.+)）$/.exec(p.field || "");
    return m ? m[1] : "";
  }

  /** Each problem as a link that takes the clerk to its field. */
  function linkedList(problems) {
    return el("ul", { class: "problems linked" }, problems.map((p) => {
      const label = fieldLabel(p);
      const spot = p.paragraph ? `第${p.paragraph}段` : "";
      const words = `${label}${spot ? " " + spot : ""}${label || spot ? "：" : ""}${p.message}` +
        (p.suggestion && p.quote ? `（“${p.quote}”→“${p.suggestion}”）` : "");
      return el("li", { class: p.severity === "warning" || p.check ? "warning" : "error" },
        p.path ? el("a", { href: "#", "data-goto": p.path, onclick: (e) => { e.preventDefault(); goTo(p.path); } }, words) : words);
    }));
  }

  /** Open, scroll to and focus the input of ``path`` (or the nearest enclosing field). */
  function goTo(path) {
    const parts = path.split(".");
    let target = null;
    while (parts.length && !target) {
      target = formNode.querySelector(`[data-path="${parts.join(".")}"]`);
      parts.pop();
    }
    if (!target) return;
    for (let d = target.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
    const input = target.matches("input, textarea, select") ? target : target.querySelector("input, textarea, select");
    target.scrollIntoView({ block: "center" });
    if (input) input.focus();
    state.form.showAll = true; // the clerk asked to see it: its message shows beside it too
  }

  /** 全部改正: what the 核稿 checks are sure of, mended as `docgen check --fix` does. */
  async function fixAll() {
    const result = await api("POST", "/api/fix", payload());
    if (result.status !== 200) {
      summary.prepend(problemList((result.data && result.data.problems) || []));
      return;
    }
    const { model, changes } = result.data;
    await loadKind(model.kind || kindSelect.value, model);
    status(draftStatus, changes.length ? `已改正 ${changes.length} 处` : "没有可自动改正之处", "ok");
  }

  async function preview(model, generation) {
    status(previewStatus, "正在排版…", "");
    const first = await fetchPage(model, 1);
    if (generation !== state.generation) return;
    if (!first.ok) {
      status(previewStatus, "", "");
      summary.replaceChildren(problemList(first.problems));
      return;
    }
    const count = first.pages;
    const urls = [first.url];
    // Why the last page holds only the 版记 (double-sided printing), said beside the pages.
    $("layout-note").textContent = first.note;
    $("layout-note").hidden = !first.note;
    for (let page = 2; page <= count; page++) {
      const next = await fetchPage(model, page);
      if (generation !== state.generation) return;
      if (next.ok) urls.push(next.url);
    }
    state.pageUrls.forEach((u) => URL.revokeObjectURL(u));
    state.pageUrls = urls;
    pagesNode.classList.remove("stale");
    pagesNode.replaceChildren(
      ...urls.map((url, i) =>
        el("figure", { class: "page" },
          el("img", { src: url, alt: `第 ${i + 1} 页`, "data-page": i + 1 }),
          el("figcaption", {}, `第 ${i + 1} 页 / 共 ${count} 页`))),
    );
    status(previewStatus, `共 ${count} 页`, "ok");
  }

  async function fetchPage(model, page) {
    const result = await api("POST", `/api/render?format=png&page=${page}&sided=${$("sided").value}`, model);
    if (result.status !== 200) return { ok: false, problems: (result.data && result.data.problems) || [] };
    const blob = await result.response.blob();
    const note = result.response.headers.get("X-Layout-Note");
    return {
      ok: true,
      url: URL.createObjectURL(blob),
      pages: Number(result.response.headers.get("X-Page-Count") || 1),
      note: note ? decodeURIComponent(note) : "",
    };
  }

  /** At 800 px the form and the preview are tabs; a wide window shows both anyway. */
  function showTab(name) {
    $("draft").dataset.tab = name;
    for (const t of document.querySelectorAll(".draft-tabs [role=tab]")) t.setAttribute("aria-selected", String(t.dataset.tab === name));
    window.scrollTo(0, 0);
  }

  async function download(format) {
    const sided = format === "yaml" ? "" : `&sided=${$("sided").value}`;
    const result = await api("POST", `/api/render?format=${format}${sided}`, payload());
    if (result.status !== 200) {
      const problems = (result.data && result.data.problems) || [];
      state.form.showAll = true; // now every missing field is worth pointing at
      showTab("form");
      state.form.showProblems(problems);
      summary.replaceChildren(el("div", { class: "box problems-box" }, el("p", {}, "无法下载，请先改正："), linkedList(problems)));
      return;
    }
    const blob = await result.response.blob();
    saveBlob(blob, filenameOf(result.response, `公文.${format}`));
  }

  async function uploadSeal(file) {
    const body = new FormData();
    body.append("file", file);
    const result = await api("POST", "/api/seals", body);
    if (result.status !== 200) {
      summary.replaceChildren(problemList(result.data.problems));
      return null;
    }
    return result.data.name;
  }

  // --- drafts ----------------------------------------------------------------------------

  async function listDrafts() {
    const { status: code, data } = await api("GET", "/api/drafts");
    if (code !== 200) return;
    const box = $("drafts");
    if (!data.length) {
      box.replaceChildren(el("p", { class: "hint" }, "还没有草稿。"));
      return;
    }
    const names = Object.fromEntries([...kindSelect.options].map((o) => [o.value, o.textContent]));
    box.replaceChildren(
      el("table", { class: "list" },
        el("thead", {}, el("tr", {}, el("th", {}, "文种"), el("th", {}, "标题"), el("th", {}, "保存时间"), el("th", {}, ""))),
        el("tbody", {}, data.map((d) =>
          el("tr", {},
            el("td", {}, names[d.kind] || d.kind),
            el("td", {}, d.title || "（无标题）"),
            el("td", {}, d.saved_at.replace("T", " ")),
            el("td", {},
              el("button", { type: "button", onclick: () => openDraft(d.id) }, "打开"),
              el("button", { type: "button", class: "remove", onclick: () => deleteDraft(d) }, "删除")))))),
    );
  }

  async function saveDraft() {
    const { status: code, data } = await api("POST", "/api/drafts", { model: state.model, id: state.draftId });
    if (code !== 200) {
      status(draftStatus, "保存未成功", "error");
      return;
    }
    state.draftId = data.id;
    status(draftStatus, `已保存（${data.saved_at.replace("T", " ")}）`, "ok");
    listDrafts();
  }

  async function openDraft(id) {
    const { status: code, data } = await api("GET", `/api/drafts/${id}`);
    if (code !== 200) return;
    state.draftId = data.id;
    await loadKind(data.model.kind || data.kind, data.model);
    state.form.showAll = true; // a saved draft's gaps are shown at once
    status(draftStatus, `已打开草稿：${data.title || "（无标题）"}`, "ok");
  }

  async function deleteDraft(d) {
    if (!window.confirm(`删除草稿“${d.title || "（无标题）"}”？`)) return;
    await api("DELETE", `/api/drafts/${d.id}`);
    if (state.draftId === d.id) state.draftId = null;
    listDrafts();
  }

  kindSelect.addEventListener("change", () => {
    if (state.model && state.model.kind === kindSelect.value) return; // nothing to change
    state.draftId = null;
    loadKind(kindSelect.value);
  });
  $("new-draft").addEventListener("click", () => {
    state.draftId = null;
    loadKind(kindSelect.value);
    status(draftStatus, "新建", "");
  });
  $("save-draft").addEventListener("click", saveDraft);
  for (const tab of document.querySelectorAll(".draft-tabs [role=tab]")) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
  }
  $("sided").addEventListener("change", () => { clearTimeout(state.timer); refresh(); });
  for (const button of document.querySelectorAll(".preview [data-format]")) {
    button.addEventListener("click", () => download(button.dataset.format));
  }

  // Pages that add to this one (the draft import) reach the form through here.
  window.draftPage = { loadKind, schedule, state };
  const wanted = new URLSearchParams(location.search).get("draft");
  listDrafts();
  const kind = new URLSearchParams(location.search).get("kind");
  if (wanted && /^[0-9a-f]{32}$/.test(wanted)) openDraft(wanted);
  else if (kind && [...kindSelect.options].some((o) => o.value === kind)) loadKind(kind);
  else loadKind(kindSelect.value);
})();
