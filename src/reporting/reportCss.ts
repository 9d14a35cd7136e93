/** The report page's stylesheet, inlined in index.html. */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 Helvetica, Arial, sans-serif; color: #263238; margin: 0; background: #f5f7f8; }
main { max-width: 1240px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid #cfd8dc; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
h4 { font-size: 13px; margin: 8px 0 4px; color: #546e7a; }
p.mp-note { color: #546e7a; margin: 4px 0; }
table.mp-verdicts { border-collapse: collapse; background: #fff; width: 100%; }
table.mp-verdicts th, table.mp-verdicts td { border: 1px solid #cfd8dc; padding: 4px 8px; text-align: left; vertical-align: top; }
table.mp-verdicts th { background: #eceff1; }
td.mp-holds { color: #2e7d32; font-weight: bold; }
td.mp-violated { color: #c62828; font-weight: bold; }
td.mp-incomplete { color: #ef6c00; font-weight: bold; }
td.mp-met { color: #2e7d32; } td.mp-unmet { color: #c62828; font-weight: bold; }
.mp-figure { background: #fff; border: 1px solid #cfd8dc; border-radius: 4px; overflow: auto; max-height: 85vh; margin: 6px 0; }
.mp-figure svg { display: block; }
.mp-sequence-figure { max-height: 62vh; overflow-x: hidden; }
svg.mp-sequence, svg.mp-sequence-head { width: 100%; height: auto; }
.mp-seq-head { position: sticky; top: 0; z-index: 1; line-height: 0; }
.mp-seq-head svg { margin-bottom: -2px; }
.mp-machine svg, .mp-system svg { max-width: none; height: auto; }
.mp-steps-box { max-height: 24vh; overflow: auto; background: #fff; border: 1px solid #cfd8dc; border-radius: 4px; margin: 6px 0 20px; }
table.mp-steps { border-collapse: collapse; width: 100%; font-size: 12px; }
table.mp-steps th { position: sticky; top: 0; background: #eceff1; text-align: left; padding: 3px 8px; }
table.mp-steps td { border-top: 1px solid #eceff1; padding: 2px 8px; vertical-align: top; }
table.mp-steps td:last-child { font-family: Menlo, Consolas, monospace; overflow-wrap: anywhere; }
table.mp-steps tr { cursor: pointer; }
table.mp-steps tr.mp-violation td { color: #c62828; }
table.mp-steps tr.mp-current td { background: #bbdefb; }
.mp-legend span { display: inline-block; margin-right: 14px; font-size: 12px; }
.mp-legend i { display: inline-block; width: 22px; height: 3px; vertical-align: middle; margin-right: 4px; }
section.mp-explorer { background: #fff; border: 1px solid #90a4ae; border-radius: 4px; padding: 8px 12px; margin: 8px 0 20px; outline: none; }
section.mp-explorer:focus-within, section.mp-explorer:focus { border-color: #1565c0; box-shadow: 0 0 0 2px #bbdefb; }
section.mp-explorer button { font: inherit; padding: 3px 10px; margin-right: 4px; cursor: pointer; }
section.mp-explorer button[data-act="drop"] { color: #c62828; font-weight: bold; }
.mp-pos { margin-left: 10px; font-weight: bold; }
.mp-at-violation .mp-pos, .mp-violates { color: #c62828; }
.mp-step-text { font-family: Menlo, Consolas, monospace; font-size: 13px; background: #eceff1; padding: 6px 8px; border-radius: 3px; margin: 8px 0 4px; white-space: pre-wrap; }
.mp-cols { display: flex; gap: 24px; flex-wrap: wrap; }
.mp-cols table { border-collapse: collapse; font-size: 13px; }
.mp-cols td, .mp-cols th { border-bottom: 1px solid #eceff1; padding: 2px 10px 2px 0; text-align: left; font-family: Menlo, Consolas, monospace; }
tr.mp-changed td { background: #fff3cd; font-weight: bold; }
.mp-cols ul { margin: 0; padding-left: 18px; font-family: Menlo, Consolas, monospace; font-size: 12px; }
li.mp-none { color: #90a4ae; list-style: none; margin-left: -18px; }
g.mp-step { cursor: pointer; }
g.mp-step.mp-current rect.mp-cursor { fill: #bbdefb; fill-opacity: 0.55; }
g.mp-step:hover rect.mp-cursor { fill: #e3f2fd; fill-opacity: 0.6; }
.mp-files a { margin-right: 12px; }
`;
