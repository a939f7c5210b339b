// 纪要与督办: upload, see every error in its cell, fix it in place, generate, download.
"use strict";

(() => {
  const { el, api, problemList, status, localTime } = docgen;
  const $ = (id) => document.getElementById(id);
  const POLL_MS = 400;
  const state = { upload: null, grid: [], report: null };

  function columnLetter(index) {
    let out = "";
    let n = index + 1;
    while (n) {
      const rem = (n - 1) % 26;
      out = String.fromCharCode(65 + rem) + out;
      n = Math.floor((n - 1) / 26);
    }
    return out;
  }

  async function check() {
    const form = new FormData($("upload"));
    if ((!$("meeting").files.length && !$("draft").value) || !$("items").files.length) {
      status($("batch-status"), "请选择会议文件（或纪要草稿）和议定事项表", "error");
      return;
    }
    for (const [key, value] of [...form.entries()]) {
      if (value instanceof File && !value.name) form.delete(key); // an empty optional file field
    }
    status($("batch-status"), "正在检查…", "");
    showReport(await api("POST", "/api/batch/check", form));
  }

  function showReport(result) {
    const data = result.data || {};
    if (!data.table) {
      // Refused before any table could be read (a file too large, a wrong type…).
      state.upload = null;
      $("run").disabled = true;
      status($("batch-status"), "上传未成功", "error");
      $("batch-problems").replaceChildren(el("div", { class: "box problems-box" }, problemList(data.problems || [])));
      $("table-box").classList.add("hidden");
      return;
    }
    state.upload = data.upload;
    state.report = data;
    state.grid = data.table.grid.map((row) => [...row]);
    const problems = data.problems || [];
    const errors = problems.filter((p) => p.severity === "error");
    $("run").disabled = !data.ok;
    const before = problems.some((p) => p.severity === "warning" && p.message.startsWith("此会议此前已生成过"));
    $("run").textContent = before ? "继续生成（沿用已发文号）" : "生成纪要和督办单";
    status(
      $("batch-status"),
      data.ok
        ? `检查通过：共 ${Math.max(0, state.grid.length - data.table.header_row)} 行，` + (before ? "此会议此前已生成过，见下方提醒" : "可以生成")
        : `有 ${errors.length} 处错误，改正后才能生成`,
      data.ok ? "ok" : "error",
    );
    $("batch-problems").replaceChildren(
      problems.length ? el("div", { class: errors.length ? "box problems-box" : "box" }, problemList(problems)) : "",
    );
    renderGrid(data.table, problems);
  }

  function renderGrid(table, problems) {
    const byCell = new Map();
    for (const p of problems) {
      if (p.row && p.column) {
        const key = `${p.column}${p.row}`;
        if (!byCell.has(key)) byCell.set(key, []);
        byCell.get(key).push(p);
      }
    }
    const width = Math.max(0, ...state.grid.map((r) => r.length));
    const head = el("tr", {}, el("th", { class: "rowno" }, ""), Array.from({ length: width }, (_, c) => el("th", {}, columnLetter(c))));
    const body = state.grid.map((row, r) => {
      const rowNo = r + 1;
      const isHeader = rowNo === table.header_row;
      return el(
        "tr",
        { class: isHeader ? "header-row" : "" },
        el("td", { class: "rowno" }, rowNo),
        Array.from({ length: width }, (_, c) => {
          const key = `${columnLetter(c)}${rowNo}`;
          const found = byCell.get(key) || [];
          const worst = found.some((p) => p.severity === "error") ? "cell-error" : found.length ? "cell-warning" : "";
          const text = el("span", {
            class: "cell-text",
            contenteditable: rowNo > table.header_row ? "plaintext-only" : null,
            onblur: (e) => edited(r, c, e.target.innerText),
            onkeydown: (e) => { if (e.key === "Enter") { e.preventDefault(); e.target.blur(); } },
          }, row[c] ?? "");
          return el(
            "td",
            { class: worst, "data-cell": key, title: found.map((p) => p.message).join("\n") || null },
            text,
            found.map((p) => el("span", { class: "cell-message" }, p.message)),
          );
        }),
      );
    });
    $("grid").replaceChildren(el("thead", {}, head), el("tbody", {}, body));
    $("table-name").textContent = table.name || "";
    $("table-box").classList.remove("hidden");
  }

  async function edited(r, c, text) {
    const value = text.replace(/\n+$/, "");
    const row = state.grid[r];
    while (row.length <= c) row.push("");
    if ((row[c] ?? "") === value || !state.upload) return;
    row[c] = value;
    status($("batch-status"), "正在重新检查…", "");
    showReport(await api("PUT", `/api/batch/${state.upload}/table`, { grid: state.grid }));
  }

  async function run() {
    if (!state.upload) return;
    $("run").disabled = true;
    $("check").disabled = true;
    const result = await api("POST", `/api/batch/${state.upload}/run`);
    if (result.status !== 202) {
      $("batch-problems").replaceChildren(el("div", { class: "box problems-box" }, problemList(result.data.problems || [])));
      $("check").disabled = false;
      return;
    }
    $("job-box").classList.remove("hidden");
    $("job-result").replaceChildren();
    poll(result.data.job);
  }

  async function poll(job) {
    const { status: code, data } = await api("GET", `/api/jobs/${job}`);
    const bar = $("progress");
    if (code !== 200) {
      status($("job-status"), "无法取得进度", "error");
      $("check").disabled = false;
      return;
    }
    if (data.total) {
      bar.max = data.total;
      bar.value = data.done || 0;
    }
    if (data.state === "queued" || data.state === "running") {
      status($("job-status"), data.total ? `正在生成：${data.done} / ${data.total} 份` : "正在检查和分配文号…", "");
      setTimeout(() => poll(job), POLL_MS);
      return;
    }
    $("check").disabled = false;
    if (data.state === "failed" || data.state === "interrupted") {
      status($("job-status"), "生成未完成", "error");
      $("job-result").replaceChildren(
        el("div", { class: "box problems-box" }, problemList(data.problems || [])),
        data.resumable ? el("button", { type: "button", class: "primary", id: "resume", onclick: () => resume(job) }, "继续生成") : null,
      );
      listJobs();
      return;
    }
    listJobs();
    bar.max = data.total || 1;
    bar.value = bar.max;
    status($("job-status"), `已生成 ${data.total} 份文档，用时 ${data.seconds} 秒`, "ok");
    showResult(data);
  }

  function showResult(data) {
    const files = data.files || [];
    const rows = data.manifest || [];
    const link = (f) => el("a", { href: f.url, download: f.name }, f.name);
    $("job-result").replaceChildren(
      el("p", { id: "job-done" },
        el("a", { id: "download-zip", class: "button primary", href: data.result, download: data.archive }, `下载全部（${data.archive}）`),
        "　",
        files.slice(rows.length).map((f) => [link(f), "　"])),
      el("table", { class: "list", id: "manifest" },
        el("thead", {}, el("tr", {}, ["类别", "编号", "承办单位", "议定事项序号", "格式", "文件", "字节数"].map((h) => el("th", {}, h)))),
        el("tbody", {}, rows.map((r, i) =>
          el("tr", {},
            el("td", {}, r["类别"]), el("td", {}, r["编号"]), el("td", {}, r["承办单位"]),
            el("td", {}, r["议定事项序号"]), el("td", {}, r["格式"]),
            el("td", {}, files[i] ? link(files[i]) : r["文件名"]), el("td", {}, r["字节数"]))))),
    );
  }

  /** 继续生成: the job runs again in its folder, on the numbers it already has. */
  async function resume(job) {
    const result = await api("POST", `/api/jobs/${job}/resume`);
    if (result.status !== 202) {
      $("job-result").replaceChildren(el("div", { class: "box problems-box" }, problemList(result.data.problems || [])));
      return;
    }
    $("job-box").classList.remove("hidden");
    $("job-result").replaceChildren();
    status($("job-status"), "正在继续生成…", "");
    poll(job);
  }

  const STATES = { queued: "排队中", running: "生成中", done: "已完成", failed: "未完成", interrupted: "已中断" };
  const KINDS = { batch: "纪要和督办单", remind: "催办单", report: "督办情况通报" };

  /** 以往的任务: each with its state, its files, and 继续生成 where it was cut short. */
  async function listJobs() {
    const { status: code, data } = await api("GET", "/api/jobs");
    if (code !== 200) return;
    const body = $("jobs").tBodies[0];
    body.replaceChildren(...data.map((j) =>
      el("tr", { "data-job": j.job },
        el("td", {}, localTime(j.created)),
        el("td", {}, KINDS[j.kind] || j.kind),
        el("td", {}, j.title),
        el("td", {}, STATES[j.state] || j.state),
        el("td", {},
          j.archive ? el("a", { href: `/api/jobs/${j.job}/result`, download: "" }, "下载全部") : null,
          j.files && !j.archive ? `${j.files} 个文件` : null,
          j.resumable ? el("button", { type: "button", onclick: () => resume(j.job) }, "继续生成") : null))));
    if (!data.length) body.append(el("tr", {}, el("td", { colspan: 5, class: "hint" }, "还没有任务")));
  }

  async function listDrafts() {
    const { status: code, data } = await api("GET", "/api/drafts");
    if (code !== 200) return;
    for (const d of data.filter((d) => d.kind === "minutes")) {
      $("draft").append(el("option", { value: d.id }, `${d.title || "（无标题）"}（${d.saved_at.replace("T", " ")}）`));
    }
  }

  $("units").addEventListener("change", (e) => {
    const hint = e.target.closest("label").querySelector(".hint");
    if (hint && e.target.files.length) hint.textContent = `已选择 ${e.target.files[0].name}：上传后用它核对单位名称`;
  });
  $("check").addEventListener("click", check);
  listDrafts();
  listJobs();
  $("run").addEventListener("click", run);
})();
