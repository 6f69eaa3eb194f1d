// jzleader serve: plain JavaScript, no build step, no request leaving this machine.
// Every value from a workbook is put on the page as text (textContent), never as HTML.
"use strict";

const VERDICT = { eligible: "符合", review: "待核实", ineligible: "不符合" };
const ORDER = { ineligible: 0, review: 1, eligible: 2 };
const SEVERITY = { error: "不符合", review: "待核实", notice: "提示", met: "符合" };
const $ = (id) => document.getElementById(id);
let chosen = [];      // [File, name as uploaded (a folder pick keeps its sub-folders)]
let candidates = [];  // the check document's candidates, with verdict_order and clauses added
let sortKey = null, sortDir = 1;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(cells, cls) {
  const tr = el("tr", null, cls);
  for (const c of cells) tr.appendChild(c instanceof Node ? c : el("td", c));
  return tr;
}

// --- choosing files -------------------------------------------------------------------------------
function add(files) {
  for (const [file, name] of files) {
    if (!chosen.some(([, n]) => n === name)) chosen.push([file, name]);
  }
  const list = $("chosen");
  list.replaceChildren(...chosen.map(([f, n]) => el("li", `${n}（${Math.max(1, Math.round(f.size / 1024))} KB）`)));
  $("run").disabled = $("clear").disabled = chosen.length === 0;
}

function readEntry(entry, prefix) {
  // a folder dropped on the page: every file under it, with its path
  return new Promise((resolve) => {
    if (entry.isFile) {
      entry.file((f) => resolve([[f, prefix + f.name]]), () => resolve([]));
      return;
    }
    const reader = entry.createReader(), out = [];
    const more = () => reader.readEntries(async (entries) => {
      if (!entries.length) { resolve(out); return; }
      for (const e of entries) out.push(...await readEntry(e, `${prefix}${entry.name}/`));
      more();
    }, () => resolve(out));
    more();
  });
}

$("pick-files").addEventListener("change", (e) => add([...e.target.files].map((f) => [f, f.name])));
$("pick-folder").addEventListener("change", (e) => add([...e.target.files].map((f) => [f, f.webkitRelativePath || f.name])));
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", async (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const entries = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
  if (entries.length) {
    for (const entry of entries) add(await readEntry(entry, ""));
  } else {
    add([...e.dataTransfer.files].map((f) => [f, f.name]));
  }
});
$("clear").addEventListener("click", () => { chosen = []; add([]); });

// --- talking to the server ------------------------------------------------------------------------
function form() {
  const data = new FormData();
  for (const [file, name] of chosen) data.append("files", file, name);
  return data;
}

function send(route, { blob = false, progress = false } = {}) {
  // XMLHttpRequest rather than fetch: it reports how much of the upload has gone
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", route);
    xhr.responseType = blob ? "blob" : "json";
    if (progress) {
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) busy(`正在上传 ${Math.round((100 * e.loaded) / e.total)}%`, (100 * e.loaded) / e.total);
      };
      xhr.upload.onload = () => busy("正在读取和审核，大的名单需要一些时间……");
    }
    xhr.onload = () => resolve(xhr);
    xhr.onerror = () => resolve(null);
    xhr.send(form());
  });
}

function busy(text, percent) {
  $("busy").hidden = !text;
  $("busy-text").textContent = text || "";
  const bar = $("progress");
  if (percent === undefined) bar.removeAttribute("value"); else bar.value = percent;
}

function errorsOf(doc, xhr) {
  if (!xhr) return ["无法连接到本机的审核服务：请确认 jzleader serve 仍在运行"];
  if (doc && Array.isArray(doc.errors)) return doc.errors.map((e) => (e.file ? `${e.file}：${e.message}` : e.message));
  return [`审核服务返回了错误（HTTP ${xhr.status}）`];
}

function showErrors(messages) {
  $("errors").hidden = messages.length === 0;
  $("error-list").replaceChildren(...messages.map((m) => el("li", m)));
}

async function runCheck() {
  $("run").disabled = $("report").disabled = true;
  for (const id of ["results", "quota", "sensitivity", "problems"]) $(id).hidden = true;
  showErrors([]);
  busy("正在上传", 0);
  const xhr = await send("api/check", { progress: true });
  const doc = xhr && xhr.response;
  const messages = errorsOf(doc, xhr);
  if (!doc || !Array.isArray(doc.candidates)) { busy(""); showErrors(messages); $("run").disabled = false; return; }
  showErrors(messages);
  showVerdicts(doc);
  showProblems(doc.problems || []);
  busy("正在核对指标和口径……");
  const [quota, knobs] = await Promise.all([send("api/quota-report"), send("api/sensitivity")]);
  if (quota && quota.response && Array.isArray(quota.response.units)) showQuota(quota.response);
  if (knobs && knobs.response && Array.isArray(knobs.response.knobs)) showSensitivity(knobs.response);
  busy("");
  $("run").disabled = false;
  $("report").disabled = doc.candidates.length === 0;
}
$("run").addEventListener("click", runCheck);

$("report").addEventListener("click", async () => {
  $("report").disabled = true;
  busy("正在生成审核结果.xlsx……");
  const xhr = await send("api/report", { blob: true });
  busy("");
  $("report").disabled = false;
  if (xhr && xhr.status === 200) {
    const a = el("a");
    a.href = URL.createObjectURL(xhr.response);
    a.download = "审核结果.xlsx";
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    return;
  }
  let doc = null;
  if (xhr && xhr.response) { try { doc = JSON.parse(await xhr.response.text()); } catch (e) { doc = null; } }
  showErrors(errorsOf(doc, xhr));
});

// --- the verdict table ----------------------------------------------------------------------------
function showVerdicts(doc) {
  candidates = doc.candidates.map((c) => ({ ...c, verdict_order: ORDER[c.verdict], clauses: (c.clauses_met || []).join("、") }));
  const s = doc.summary;
  $("summary").textContent = `共 ${candidates.length} 人：符合 ${s.eligible}，待核实 ${s.review}，不符合 ${s.ineligible}`;
  const units = [...new Set(candidates.map((c) => c.unit || "（未填）"))].sort((a, b) => a.localeCompare(b, "zh"));
  $("filter-unit").replaceChildren(el("option", "全部"), ...units.map((u) => el("option", u)));
  $("filter-unit").options[0].value = "";
  $("results").hidden = false;
  drawVerdicts();
}

function drawVerdicts() {
  const verdict = $("filter-verdict").value, unit = $("filter-unit").value;
  let shown = candidates.filter((c) => (!verdict || c.verdict === verdict) && (!unit || (c.unit || "（未填）") === unit));
  if (sortKey) {
    const numeric = document.querySelector(`th[data-key="${sortKey}"]`).dataset.type === "number";
    shown = [...shown].sort((a, b) => {
      const x = a[sortKey] ?? "", y = b[sortKey] ?? "";
      return sortDir * (numeric ? (Number(x) || 0) - (Number(y) || 0) : String(x).localeCompare(String(y), "zh"));
    });
  }
  const body = $("verdicts").tBodies[0];
  body.replaceChildren();
  for (const c of shown) {
    const tr = row([c.row, c.name, c.unit, c.id_number, c.age, c.title, c.education,
                    el("td", VERDICT[c.verdict], `v-${c.verdict}`), c.clauses], "candidate");
    tr.title = "点击查看依据";
    tr.addEventListener("click", () => toggle(tr, c));
    body.appendChild(tr);
  }
}

function toggle(tr, c) {
  const next = tr.nextElementSibling;
  if (next && next.classList.contains("detail")) { next.remove(); tr.classList.remove("open"); return; }
  const table = el("table");
  table.appendChild(row(["条款", "判断", "说明", "位置"].map((h) => el("th", h))));
  for (const r of c.reasons) {
    const where = [r.file && c.file !== r.file ? r.file : null, r.sheet && r.cell ? `${r.sheet}!${r.cell}` : r.sheet,
                   r.line ? `第${r.line}行` : null].filter(Boolean).join(" ");
    table.appendChild(row([r.clause || "", el("td", SEVERITY[r.severity] || r.severity, `s-${r.severity}`), r.message, where]));
  }
  const td = el("td");
  td.colSpan = 9;
  td.appendChild(el("p", `${c.name}（${c.unit || "推荐单位未填"}，${c.file || ""} 第${c.row}行）：${VERDICT[c.verdict]}`));
  td.appendChild(table);
  tr.classList.add("open");
  tr.after(row([td], "detail"));
}

$("filter-verdict").addEventListener("change", drawVerdicts);
$("filter-unit").addEventListener("change", drawVerdicts);
for (const th of document.querySelectorAll("#verdicts th[data-key]")) {
  th.addEventListener("click", () => {
    sortDir = sortKey === th.dataset.key ? -sortDir : 1;
    sortKey = th.dataset.key;
    for (const other of document.querySelectorAll("#verdicts th")) other.classList.remove("asc", "desc");
    th.classList.add(sortDir > 0 ? "asc" : "desc");
    drawVerdicts();
  });
}

// --- quota, readings, problems --------------------------------------------------------------------
function showQuota(doc) {
  const sent = doc.units.filter((u) => u.recommended > 0 || u.over > 0 || u.late);
  const body = $("quota-table").tBodies[0];
  body.replaceChildren(...sent.map((u) => row(
    [u.unit, u.group || "", u.quota ?? "", u.recommended, u.exempt, u.counted, u.over, u.over_after_ineligible ?? "",
     u.submitted || ""], u.over > 0 ? "over" : "")));
  const rest = doc.units.length - sent.length;
  $("quota-note").textContent = rest > 0 ? `其余 ${rest} 个单位未报送。超出指标的单位标为红色。` : "超出指标的单位标为红色。";
  $("quota").hidden = false;
}

function showSensitivity(doc) {
  const knobs = $("knobs");
  knobs.replaceChildren();
  for (const k of doc.knobs) {
    const box = el("div", null, "knob");
    box.appendChild(el("h3", `${k.label}（${k.clause}）`));
    box.appendChild(el("p", `本工具按“${k.default_words}”；若按“${k.alternative_words}”：`));
    const list = el("ul");
    for (const f of k.flips) list.appendChild(el("li", `${f.name}（${f.unit || "推荐单位未填"}，第${f.row}行）：${VERDICT[f.from]} → ${VERDICT[f.to]}`));
    if (!k.flips.length) list.appendChild(el("li", "没有人选的结论改变"));
    box.appendChild(list);
    knobs.appendChild(box);
  }
  $("sensitivity").hidden = doc.knobs.length === 0;
}

function showProblems(problems) {
  const body = $("problem-table").tBodies[0];
  body.replaceChildren(...problems.map((p) => row([p.file || "", p.sheet && p.cell ? `${p.sheet}!${p.cell}` : p.sheet || "", p.message])));
  $("problems").hidden = problems.length === 0;
}
