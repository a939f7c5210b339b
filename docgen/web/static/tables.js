// Body text with tables: paragraphs in text boxes, each table in a grid of cells.
// A body (or an attachment's body) is a list whose entries are paragraphs (strings) or
// {table: {title, unit, header_rows, rows}}; this editor keeps that list as it is, empty
// cells included, so that a row ["", "合计", "186.5"] stays three cells.
"use strict";

const BodyEditor = (() => {
  const { el } = docgen;

  function tableOf(item) {
    return item && typeof item === "object" ? item.table || item["表格"] || null : null;
  }

  function cellText(cell) {
    if (cell && typeof cell === "object") return cell.text ?? cell["内容"] ?? "";
    return cell == null ? "" : String(cell);
  }

  function setCell(row, c, text) {
    while (row.length <= c) row.push("");
    const cell = row[c];
    if (cell && typeof cell === "object") {
      if ("内容" in cell && !("text" in cell)) cell["内容"] = text;
      else cell.text = text;
    } else row[c] = text;
  }

  function rowsOf(table) {
    if (!Array.isArray(table.rows)) table.rows = Array.isArray(table["行"]) ? table["行"] : [["", ""], ["", ""]];
    delete table["行"];
    return table.rows;
  }

  /** Tab-separated text as Excel and WPS put it on the clipboard → rows of cells. */
  function parseClipboard(text) {
    const lines = text.replace(/\r\n?/g, "\n").split("\n");
    if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
    return lines.map((line) => line.split("\t").map((c) => c.replace(/^"(.*)"$/s, "$1").replace(/""/g, '"')));
  }

  /** One table: title, unit, header rows, and the grid with row/column buttons. */
  class TableEditor {
    constructor(item, path, onChange, onRemove) {
      this.table = tableOf(item);
      this.path = path;
      this.onChange = onChange;
      this.onRemove = onRemove;
      this.node = el("fieldset", { class: "group table-editor", dataset: { path: path.join(".") } });
      this.render();
    }

    width() {
      return Math.max(1, ...rowsOf(this.table).map((r) => r.reduce((n, c) => n + ((c && c.colspan) || 1), 0)));
    }

    changed(redraw) {
      if (redraw) this.render();
      this.onChange();
    }

    render() {
      const t = this.table;
      const rows = rowsOf(t);
      const headerRows = Number.isInteger(t.header_rows) ? t.header_rows : 1;
      const width = this.width();
      const meta = (key, label, attrs) =>
        el("label", { class: "inline" }, label,
          el("input", {
            type: "text", name: [...this.path, "table", key].join("."), value: t[key] ?? "", ...attrs,
            oninput: (e) => {
              const v = e.target.value;
              if (key === "header_rows") t[key] = /^\d+$/.test(v.trim()) ? Number(v) : v;
              else t[key] = v;
              this.changed(key === "header_rows");
            },
          }));
      const head = el("tr", {}, el("th", {}, ""),
        Array.from({ length: width }, (_, c) =>
          el("th", {}, el("button", {
            type: "button", class: "remove small", title: `删除第 ${c + 1} 列`, "aria-label": `删除第 ${c + 1} 列`,
            onclick: () => { rows.forEach((r) => { if (r.length > c) r.splice(c, 1); }); this.changed(true); },
          }, "删列"))));
      const body = rows.map((row, r) =>
        el("tr", { class: r < headerRows ? "header-row" : "" },
          el("th", {}, el("button", {
            type: "button", class: "remove small", title: `删除第 ${r + 1} 行`, "aria-label": `删除第 ${r + 1} 行`,
            onclick: () => { rows.splice(r, 1); this.changed(true); },
          }, "删行")),
          Array.from({ length: width }, (_, c) => {
            if (c >= row.length && row.reduce((n, x) => n + ((x && x.colspan) || 1), 0) >= width) return null;
            return el("td", {}, el("input", {
              type: "text", class: "cell", value: cellText(row[c]),
              "aria-label": `第 ${r + 1} 行第 ${c + 1} 列`, "data-row": r, "data-col": c,
              oninput: (e) => { setCell(row, c, e.target.value); this.changed(false); },
              onpaste: (e) => this.paste(e, r, c),
            }));
          })));
      this.node.replaceChildren(
        el("legend", {}, "表格"),
        el("div", { class: "toolbar" },
          meta("title", "表格标题 ", { placeholder: "可不填" }),
          meta("unit", "单位 ", { placeholder: "如 单位：万元", size: 10 }),
          meta("header_rows", "表头行数 ", { size: 2, inputmode: "numeric", value: String(headerRows) })),
        el("div", { class: "table-wrap" }, el("table", { class: "grid cells" }, el("thead", {}, head), el("tbody", {}, body))),
        el("div", { class: "toolbar" },
          el("button", { type: "button", class: "add", onclick: () => { rows.push(Array(width).fill("")); this.changed(true); } }, "＋ 行"),
          el("button", { type: "button", class: "add", onclick: () => { rows.forEach((r) => r.push("")); this.changed(true); } }, "＋ 列"),
          el("span", { class: "hint" }, "可从 Excel 或 WPS 表格复制一片单元格，粘贴到任一格"),
          el("button", { type: "button", class: "remove", onclick: this.onRemove }, "删除此表格")),
        el("div", { class: "field-problems" }),
      );
    }

    paste(event, r, c) {
      const text = (event.clipboardData || window.clipboardData).getData("text");
      if (!/[\t\n]/.test(text.replace(/\n$/, ""))) return; // one cell's text: the input takes it
      event.preventDefault();
      const rows = rowsOf(this.table);
      parseClipboard(text).forEach((cells, i) => {
        while (rows.length <= r + i) rows.push(Array(this.width()).fill(""));
        cells.forEach((value, j) => setCell(rows[r + i], c + j, value));
      });
      const width = this.width();
      rows.forEach((row) => { while (row.reduce((n, x) => n + ((x && x.colspan) || 1), 0) < width) row.push(""); });
      this.changed(true);
    }
  }

  /**
   * The whole body: runs of paragraphs in text boxes, tables between them.
   * list: the model's array (changed in place); onChange() after each edit; redraw() rebuilds.
   */
  function build(list, path, onChange, redraw) {
    const segments = []; // {area} for a run of paragraphs, {item, editor} for a table
    // After typing in a text box the list is made again from the boxes and tables in order,
    // and each table learns its new place (its problems are found by it).
    const sync = () => {
      const fresh = segments.flatMap((s) => (s.area ? s.area.value.split("\n") : [s.item]));
      list.splice(0, list.length, ...fresh);
      let at = 0;
      for (const s of segments) {
        if (s.area) at += s.area.value.split("\n").length;
        else { s.editor.path = [...path, at]; s.editor.node.dataset.path = s.editor.path.join("."); at += 1; }
      }
      onChange();
    };
    const textRun = (lines) => {
      const area = el("textarea", {
        name: path.join("."), rows: Math.max(4, Math.min(14, lines.length + 2)), placeholder: "一行一段", oninput: sync,
      });
      area.value = lines.join("\n");
      segments.push({ area });
      return area;
    };
    const nodes = [];
    let run = [];
    list.forEach((item, i) => {
      if (!tableOf(item)) { run.push(item == null ? "" : String(item)); return; }
      if (run.length || !nodes.length) nodes.push(textRun(run));
      run = [];
      const editor = new TableEditor(item, [...path, i], onChange, () => {
        list.splice(list.indexOf(item), 1);
        redraw();
        onChange();
      });
      segments.push({ item, editor });
      nodes.push(editor.node);
    });
    nodes.push(textRun(run));
    const add = el("button", {
      type: "button", class: "add",
      onclick: () => {
        // A paragraph typed after the table stays after it: the table goes at the end.
        while (list.length && typeof list[list.length - 1] === "string" && !list[list.length - 1].trim()) list.pop();
        list.push({ table: { header_rows: 1, rows: [["", "", ""], ["", "", ""]] } });
        redraw();
        onChange();
      },
    }, "＋ 插入表格");
    return [nodes, add];
  }

  return { build, tableOf, parseClipboard };
})();
