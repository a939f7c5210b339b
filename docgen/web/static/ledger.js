// 督办台账: the notices with status and overdue days, feedback by phone or file, reminders.
"use strict";

(() => {
  const { el, api, problemList, status, newestOnly } = docgen;
  const $ = (id) => document.getElementById(id);
  const request = newestOnly();

  function query() {
    const params = new URLSearchParams();
    for (const [key, id] of [["as_of", "as-of"], ["unit", "unit"], ["status", "status"]]) {
      const value = $(id).value.trim();
      if (value) params.set(key, value);
    }
    return params.toString();
  }

  async function refresh() {
    const isNewest = request();
    $("notices").setAttribute("aria-busy", "true"); // the rows shown are not yet the ones asked for
    const { status: code, data } = await api("GET", `/api/ledger?${query()}`);
    if (!isNewest()) return; // a later refresh() (e.g. after the load-time one) paints the page
    $("notices").setAttribute("aria-busy", "false"); // the rest runs in this same task
    if (code !== 200) {
      status($("ledger-status"), (data.problems || []).map((p) => p.message).join("；"), "error");
      return;
    }
    status($("ledger-status"), "", "");
    $("export").href = `/api/ledger/export?as_of=${encodeURIComponent($("as-of").value.trim())}`;
    const c = data.counts;
    const by = Object.entries(c.by_status).map(([k, v]) => `${k} ${v}`).join("，");
    $("counts").textContent = `共 ${c.total} 项：${by}；逾期未办结 ${c.overdue} 项，7 日内到期 ${c.due_soon} 项`;
    const body = $("notices").tBodies[0];
    body.replaceChildren(...data.notices.map(row));
    if (!data.notices.length) body.append(el("tr", {}, el("td", { colspan: 8, class: "hint" }, "没有符合条件的督办事项")));
  }

  function row(n) {
    const tr = el("tr", { class: n.overdue ? "overdue" : n.due_soon ? "due-soon" : "", "data-number": n.number },
      el("td", {}, n.number),
      el("td", {}, n.unit),
      el("td", {}, n.matter),
      el("td", {}, n.deadline || ""),
      el("td", {}, n.status),
      el("td", {}, n.overdue ? `逾期 ${n.days_overdue} 天` : n.due_soon ? "临期" : ""),
      el("td", {}, n.last_feedback ? `${n.last_feedback_on || ""} ${n.last_feedback}` : ""),
      el("td", {}, el("button", { type: "button", onclick: () => openForm(tr, n) }, "记录反馈")));
    return tr;
  }

  function today() {
    const d = new Date(); // the clerk's own day, not UTC's
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  }

  function openForm(tr, n) {
    if (tr.nextElementSibling && tr.nextElementSibling.classList.contains("feedback-form")) return;
    const text = el("textarea", { rows: 2, placeholder: "单位反馈的办理情况" });
    const done = el("input", { type: "checkbox" });
    const who = el("input", { type: "text", placeholder: "反馈人（可不填）" });
    // The day the unit reported, not the day it is typed in: the 催办单 prints it.
    const day = el("input", { type: "date", class: "feedback-date", value: today(), "aria-label": "反馈日期" });
    const out = el("span", { class: "status" });
    const save = async () => {
      const result = await api("POST", "/api/ledger/phone", { number: n.number, text: text.value, done: done.checked, signed_by: who.value, date: day.value || null });
      if (result.status !== 200) {
        out.replaceChildren(problemList(result.data.problems || []));
        return;
      }
      refresh();
    };
    tr.after(el("tr", { class: "feedback-form" }, el("td", { colspan: 8 },
      el("div", { class: "toolbar" }, text, el("label", {}, done, "已办结"), el("label", {}, "反馈日期 ", day), who,
        el("button", { type: "button", class: "primary", onclick: save }, "保存反馈"), out))));
    text.focus();
  }

  async function uploadFeedback() {
    const files = $("feedback-files").files;
    if (!files.length) return;
    const form = new FormData();
    for (const f of files) form.append("files", f);
    const { status: code, data } = await api("POST", "/api/ledger/feedback", form);
    if (code !== 200) {
      $("feedback-result").replaceChildren(problemList(data.problems || []));
      return;
    }
    $("feedback-result").replaceChildren(el("ul", {}, data.map((r) =>
      el("li", { class: r.problems.length ? "error" : "" },
        r.problems.length ? [`${r.file}：未记录`, el("ul", {}, r.problems.map((p) => el("li", {}, p)))]
          : r.already ? `${r.file}：此前已记录（${r.already}），未重复记录`
          : `${r.file}：记录 ${r.recorded} 条反馈` + (r.closed.length ? `，办结 ${r.closed.join("、")}` : "")))));
    refresh();
  }

  async function remind() {
    const body = { as_of: $("as-of").value.trim() || null, code: $("remind-code").value.trim() };
    const within = $("due-within").value.trim();
    if (within) body.due_within = Number(within);
    status($("ledger-status"), "正在生成催办单…", "");
    const { status: code, data } = await api("POST", "/api/ledger/remind", body);
    status($("ledger-status"), "", "");
    if (code !== 200) {
      $("remind-result").replaceChildren(el("div", { class: "box problems-box" }, problemList(data.problems || [])));
      return;
    }
    const already = data.already.length ? `；此前已为这一天发过 ${data.already.length} 份，未重复发出` : "";
    $("remind-result").replaceChildren(
      el("p", { id: "remind-done", class: "status ok" }, `已生成催办单 ${data.issued.length} 份${already}`),
      data.result ? el("p", {}, el("a", { class: "button primary", href: data.result, download: "" }, "下载全部催办单")) : null,
      el("ul", {}, data.files.map((f) => el("li", {}, el("a", { href: f.url, download: f.name }, f.name)))),
    );
    refresh();
  }

  async function report() {
    const recipients = $("report-recipients").value.split(/[、，,]/).map((s) => s.trim()).filter(Boolean);
    const body = { as_of: $("as-of").value.trim() || null, code: $("report-code").value.trim() || null, recipients };
    status($("ledger-status"), "正在生成通报…", "");
    const { status: code, data } = await api("POST", "/api/ledger/report", body);
    status($("ledger-status"), "", "");
    if (code !== 200) {
      $("report-result").replaceChildren(el("div", { class: "box problems-box" }, problemList(data.problems || [])));
      return;
    }
    $("report-result").replaceChildren(
      el("p", { id: "report-done", class: "status ok" }, `已生成 ${data.number}：${data.title}`),
      el("ul", {}, data.files.map((f) => el("li", {}, el("a", { href: f.url, download: f.name }, f.name)))),
    );
  }

  $("refresh").addEventListener("click", refresh);
  $("report").addEventListener("click", report);
  $("status").addEventListener("change", refresh);
  $("upload-feedback").addEventListener("click", uploadFeedback);
  $("remind").addEventListener("click", remind);
  refresh();
})();
