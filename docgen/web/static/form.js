// A form built from a kind's JSON Schema (GET /api/schema/{kind}), bound to a plain model object.
// The schema carries the Chinese labels (title), help (description), the paper order (x-order),
// seldom-used fields (x-advanced) and paragraph lists (x-multiline); the server decides validity.
"use strict";

const SchemaForm = (() => {
  const { el } = docgen;
  const LONG_TEXT = new Set(["matter", "requirement", "items_intro", "note"]);

  function resolve(schema, node) {
    if (node && node.$ref) {
      const name = node.$ref.split("/").pop();
      return { ...schema.$defs[name], ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== "$ref")) };
    }
    if (node && node.anyOf) {
      const inner = node.anyOf.filter((n) => n.type !== "null");
      if (inner.length === 1) {
        const base = resolve(schema, inner[0]);
        return { ...base, ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== "anyOf")), optional: true };
      }
    }
    return node || {};
  }

  function getAt(model, path) {
    return path.reduce((obj, key) => (obj == null ? undefined : obj[key]), model);
  }

  function setAt(model, path, value) {
    let obj = model;
    path.slice(0, -1).forEach((key, i) => {
      if (obj[key] == null) obj[key] = typeof path[i + 1] === "number" ? [] : {};
      obj = obj[key];
    });
    obj[path[path.length - 1]] = value;
  }

  /** A table's rows keep their empty cells (a cell's place is its column); empty rows go. */
  function cleanRows(rows) {
    return rows
      .map((row) => (Array.isArray(row)
        ? row.map((cell) => (cell && typeof cell === "object" ? clean(cell) || { text: "" } : cell ?? ""))
        : row))
      .filter((row) => !Array.isArray(row) || row.some((c) => String(c && typeof c === "object" ? c.text ?? "" : c).trim()));
  }

  /** The model without empty values, as the API wants it. */
  function clean(value) {
    if (Array.isArray(value)) {
      const out = value.map(clean).filter((v) => v !== undefined);
      return out.length ? out : undefined;
    }
    if (value && typeof value === "object") {
      const out = {};
      for (const [k, v] of Object.entries(value)) {
        const c = (k === "rows" || k === "行") && Array.isArray(v) ? cleanRows(v) : clean(v);
        if (c !== undefined) out[k] = c;
      }
      return Object.keys(out).length ? out : undefined;
    }
    if (typeof value === "string") return value.trim() === "" ? undefined : value;
    return value === null ? undefined : value;
  }

  class Form {
    /** root: the <form>; onChange(model) after every edit; onSeal(file) → server name. */
    constructor(root, schema, model, { onChange, onSeal }) {
      this.root = root;
      this.schema = schema;
      this.model = model;
      this.onChange = onChange;
      this.onSeal = onSeal;
      this.touched = new Set(); // fields the clerk has typed in: only these show “missing”
      this.showAll = false; // after a download or save attempt, every problem is shown
      this.render();
    }

    changed(path) {
      if (path) this.touched.add(path.join("."));
      this.onChange(this.model);
    }

    isTouched(path) {
      if (this.showAll || !path) return true;
      for (const t of this.touched) {
        if (t === path || t.startsWith(path + ".") || path.startsWith(t + ".")) return true;
      }
      return false;
    }

    render() {
      this.root.replaceChildren(...this.objectFields(this.schema, []));
    }

    objectFields(node, path) {
      const props = node.properties || {};
      const order = node["x-order"] || Object.keys(props);
      const main = [];
      const more = [];
      for (const name of order) {
        const prop = props[name];
        if (!prop || prop["x-hidden"] || prop.const !== undefined || prop.type === "null") continue;
        const field = this.field(resolve(this.schema, prop), [...path, name], (node.required || []).includes(name));
        if (!field) continue;
        (prop["x-advanced"] ? more : main).push(field);
      }
      if (more.length) main.push(el("details", { class: "more" }, el("summary", {}, "更多项目"), more));
      return main;
    }

    label(prop, required) {
      return el(
        "span",
        { class: "label" },
        prop.title || "",
        required ? el("span", { class: "req", title: "必填" }, "＊") : null,
        // A choice's options already say in words what its description lists in codes.
        prop.description && !prop["x-enum-labels"] ? el("small", { class: "help" }, prop.description) : null,
      );
    }

    wrap(prop, path, required, control, extraClass) {
      return el(
        "div",
        { class: "field" + (extraClass ? " " + extraClass : ""), dataset: { path: path.join(".") } },
        el("label", {}, this.label(prop, required), control),
        el("div", { class: "field-problems" }),
      );
    }

    field(prop, path, required) {
      const name = path[path.length - 1];
      if (name === "seal_image") return this.sealField(prop, path, required);
      if (prop.type === "array") {
        const item = resolve(this.schema, prop.items);
        if (item.type === "object") return this.groupList(prop, item, path, required);
        if (prop["x-multiline"]) return this.paragraphs(prop, path, required);
        return this.textList(prop, path, required);
      }
      if (prop.type === "object") {
        if (!prop.properties) return null; // free-form data (table extras): not a form field
        return el(
          "fieldset",
          { class: "group", dataset: { path: path.join(".") } },
          el("legend", {}, prop.title || ""),
          prop.description ? el("p", { class: "help" }, prop.description) : null,
          el("div", { class: "field-problems" }),
          this.objectFields(prop, path),
        );
      }
      return this.wrap(prop, path, required, this.input(prop, path));
    }

    input(prop, path) {
      const value = getAt(this.model, path);
      const name = path.join(".");
      if (prop.enum) {
        const labels = prop["x-enum-labels"] || {};
        const select = el(
          "select",
          { name, onchange: (e) => { setAt(this.model, path, e.target.value || null); this.changed(path); } },
          prop.optional || prop.default === undefined ? el("option", { value: "" }, "（不填）") : null,
          prop.enum.map((v) => el("option", { value: v, selected: (value ?? prop.default) === v }, labels[v] || v)),
        );
        return select;
      }
      const isInt = prop.type === "integer";
      const long = LONG_TEXT.has(path[path.length - 1]);
      const attrs = {
        name,
        value: value ?? "",
        placeholder: prop.format === "date" ? "2025-07-07 或 2025年7月7日" : (prop.examples || [])[0],
        inputmode: isInt ? "numeric" : undefined,
        oninput: (e) => {
          const raw = e.target.value;
          setAt(this.model, path, isInt && /^\d+$/.test(raw.trim()) ? Number(raw) : raw);
          this.changed(path);
        },
      };
      if (long) {
        const area = el("textarea", { ...attrs, value: undefined, rows: 2 });
        area.value = value ?? "";
        return area;
      }
      return el("input", { type: "text", ...attrs });
    }

    paragraphs(prop, path, required) {
      const value = getAt(this.model, path);
      const item = prop.items || {};
      if (item.oneOf || item.anyOf) { // paragraphs and tables: the body editor (tables.js)
        const list = Array.isArray(value) ? value : typeof value === "string" ? value.split("\n") : [];
        if (list !== value) setAt(this.model, path, list);
        const help = { ...prop, description: "一行一段；需要表格时点“插入表格”，可从 Excel 粘贴" };
        return el(
          "div",
          { class: "field wide body-blocks", dataset: { path: path.join(".") } },
          this.label(help, required),
          BodyEditor.build(list, path, () => this.changed(path), () => this.render()),
          el("div", { class: "field-problems" }),
        );
      }
      const area = el("textarea", {
        name: path.join("."),
        rows: 8,
        placeholder: "一行一段",
        oninput: (e) => {
          setAt(this.model, path, e.target.value.split("\n"));
          this.changed(path);
        },
      });
      area.value = Array.isArray(value) ? value.join("\n") : value || "";
      return this.wrap(prop, path, required, area, "wide");
    }

    textList(prop, path, required) {
      let values = getAt(this.model, path);
      // A model from a file or an import may give one name as text (issuer: 某单位).
      if (typeof values === "string") setAt(this.model, path, (values = values.split(/[、\n]/)));
      const list = Array.isArray(values) && values.length ? values : [""];
      if (list !== values) setAt(this.model, path, list);
      const rows = list.map((v, i) =>
        el(
          "div",
          { class: "row", dataset: { path: [...path, i].join(".") } },
          el("input", {
            type: "text",
            name: [...path, i].join("."),
            value: v ?? "",
            oninput: (e) => { list[i] = e.target.value; this.changed([...path, i]); },
          }),
          el("button", {
            type: "button", class: "remove", title: "删除这一项", "aria-label": `删除${prop.title || ""}第${i + 1}项`,
            onclick: () => { list.splice(i, 1); this.render(); this.changed(); },
          }, "×"),
        ),
      );
      const add = el("button", {
        type: "button", class: "add",
        onclick: () => { list.push(""); this.render(); this.changed(); this.focusLast(path); },
      }, `＋ 添加${prop.title || ""}`);
      return el(
        "div",
        { class: "field list", dataset: { path: path.join(".") } },
        this.label(prop, required),
        rows,
        add,
        el("div", { class: "field-problems" }),
      );
    }

    groupList(prop, item, path, required) {
      const values = getAt(this.model, path);
      const list = Array.isArray(values) ? values : [];
      if (!Array.isArray(values)) setAt(this.model, path, list);
      const groups = list.map((_, i) =>
        el(
          "fieldset",
          { class: "group item", dataset: { path: [...path, i].join(".") } },
          el("legend", {}, `${prop.title || ""} ${i + 1}`),
          el("button", {
            type: "button", class: "remove", title: "删除这一组",
            onclick: () => { list.splice(i, 1); this.render(); this.changed(); },
          }, `删除${prop.title || ""} ${i + 1}`),
          el("div", { class: "field-problems" }),
          this.objectFields(item, [...path, i]),
        ),
      );
      const add = el("button", {
        type: "button", class: "add",
        onclick: () => { list.push({}); this.render(); this.changed(); },
      }, `＋ 添加${prop.title || ""}`);
      return el(
        "div",
        { class: "field groups", dataset: { path: path.join(".") } },
        this.label(prop, required),
        el("div", { class: "field-problems" }),
        groups,
        add,
      );
    }

    sealField(prop, path, required) {
      const current = getAt(this.model, path);
      const state = el("span", { class: "seal-state" }, current ? "已上传印章图片" : "未上传：PDF 中只留出盖章位置，打印后加盖印章");
      const input = el("input", {
        type: "file",
        name: path.join("."),
        accept: "image/png,image/jpeg",
        onchange: async (e) => {
          const file = e.target.files[0];
          if (!file) return;
          state.textContent = "正在上传…";
          const name = await this.onSeal(file);
          if (name) {
            setAt(this.model, path, name);
            state.textContent = `已上传：${file.name}`;
            this.changed(path);
          } else state.textContent = "上传未成功，见上方问题";
        },
      });
      input.classList.add("visually-hidden");
      const clear = el("button", {
        type: "button", class: "remove",
        onclick: () => { setAt(this.model, path, null); this.render(); this.changed(); },
      }, "不用印章图片");
      return el(
        "div",
        { class: "field", dataset: { path: path.join(".") } },
        this.label(prop, required),
        el("span", { class: "seal" }, el("label", { class: "button" }, "选择印章图片…", input), state, current ? clear : null),
        el("div", { class: "field-problems" }),
      );
    }

    focusLast(path) {
      const inputs = this.root.querySelectorAll(`[data-path="${path.join(".")}"] input`);
      if (inputs.length) inputs[inputs.length - 1].focus();
    }

    /** Put each problem beside its field (or the nearest enclosing one); return those placed nowhere. */
    showProblems(problems) {
      this.root.querySelectorAll(".field-problems").forEach((n) => n.replaceChildren());
      this.root.querySelectorAll(".has-error, .has-warning").forEach((n) => n.classList.remove("has-error", "has-warning"));
      const unplaced = [];
      for (const p of problems) {
        // A blank form is not a list of mistakes: “missing” waits until the field was visited.
        if (p.severity === "error" && !this.isTouched(p.path)) continue;
        let target = null;
        const parts = (p.path || "").split(".").filter(Boolean);
        while (parts.length && !target) {
          target = this.root.querySelector(`[data-path="${parts.join(".")}"]`);
          parts.pop();
        }
        if (!target) { unplaced.push(p); continue; }
        const box = target.querySelector(":scope > .field-problems") || target.closest(".field, .group")?.querySelector(".field-problems");
        if (!box) { unplaced.push(p); continue; }
        box.append(el("p", { class: p.severity === "warning" ? "warning" : "error" }, p.message));
        target.classList.add(p.severity === "warning" ? "has-warning" : "has-error");
      }
      return unplaced;
    }
  }

  return { Form, clean, resolve, getAt, setAt };
})();
