/// The dashboard's style sheet, compiled into the binary with the page (``DashboardPage``).
enum DashboardStyle {
    static let css = #"""
:root{--bg:#0d1117;--panel:#161b22;--panel2:#1c232c;--line:#2a323c;--text:#d9dee4;--muted:#8b97a4;--accent:#5eb3f0;
--good:#3fb970;--warn:#e3a43b;--bad:#ec5f59;--idle:#6e7a87;--run:#5eb3f0}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--text)}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
header{display:flex;align-items:center;gap:16px;padding:14px 28px;border-bottom:1px solid var(--line);background:var(--panel)}
header h1{margin:0;font-size:20px;letter-spacing:.5px}header .grow{flex:1}
.pill{display:inline-block;border-radius:999px;padding:2px 12px;font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.5px;background:var(--idle);color:#0d1117}
.s-success,.s-succeeded,.s-good,.s-passed,.s-approved,.s-executed{background:var(--good)}.s-partial,.s-warning,.s-pending,.s-passed_after_heal{background:var(--warn)}
.s-failed,.s-critical,.s-rejected,.s-aborted,.s-expired{background:var(--bad)}.s-active,.s-running{background:var(--run)}.s-skipped,.s-unknown{background:var(--idle)}
.live{font-size:12px;color:var(--muted)}.dot{display:inline-block;width:8px;height:8px;border-radius:50%;background:var(--good);margin-right:6px}
.dot.off{background:var(--bad)}
main{padding:20px 28px 48px;display:grid;gap:18px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px}
.card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
.card .label{font-size:11px;text-transform:uppercase;letter-spacing:.6px;color:var(--muted)}
.card .value{font-size:26px;font-weight:650;margin-top:2px}.card .sub{font-size:12px;color:var(--muted)}
.bands{display:flex;height:8px;border-radius:4px;overflow:hidden;margin-top:8px;background:var(--line)}
.bands span{display:block;height:100%}
section{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:14px 18px}
section h2{margin:0 0 10px;font-size:14px;text-transform:uppercase;letter-spacing:.6px;color:var(--muted);display:flex;gap:10px;align-items:center}
section h2 .muted{text-transform:none;letter-spacing:0;font-weight:normal}
.two{display:grid;grid-template-columns:1fr 1fr;gap:18px}.runs{display:grid;grid-template-columns:minmax(260px,340px) 1fr;gap:18px}
@media (max-width:980px){.two,.runs{grid-template-columns:1fr}}
.wf{display:grid;grid-template-columns:minmax(140px,230px) 1fr 80px;gap:4px 12px;align-items:center}
.wf .name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.wf .name small{color:var(--muted);margin-left:6px}
.track{position:relative;height:16px;background:var(--panel2);border-radius:3px}
.bar{position:absolute;top:2px;height:12px;border-radius:3px;min-width:3px}
.dur{font:12px ui-monospace,monospace;color:var(--muted);text-align:right}
.axis{grid-column:2;display:flex;justify-content:space-between;font:11px ui-monospace,monospace;color:var(--muted)}
ul.plain{list-style:none;margin:0;padding:0}ul.plain li{padding:6px 0;border-bottom:1px solid var(--line)}ul.plain li:last-child{border:0}
.issue::before{content:"!";display:inline-block;width:18px;height:18px;border-radius:50%;background:var(--bad);color:#0d1117;text-align:center;font-weight:700;font-size:12px;margin-right:8px}
.rec::before{content:"→";color:var(--accent);margin-right:8px}
.empty{color:var(--muted);font-style:italic}
.runlist li{cursor:pointer;display:flex;gap:8px;align-items:center;padding:7px 8px;border-radius:6px;border:0}
.runlist li:hover{background:var(--panel2)}.runlist li.sel{background:var(--panel2);outline:1px solid var(--accent)}
.runlist .meta{color:var(--muted);font-size:12px}.runlist .id{font:12px ui-monospace,monospace}
.approval{display:flex;gap:10px;align-items:center;padding:8px 0;border-bottom:1px solid var(--line)}.approval .grow{flex:1}
button{background:var(--panel2);color:var(--text);border:1px solid var(--line);border-radius:6px;padding:4px 12px;cursor:pointer;font:inherit}
button.ok{border-color:var(--good);color:var(--good)}button.no{border-color:var(--bad);color:var(--bad)}button:disabled{opacity:.4;cursor:default}
input{background:var(--panel2);color:var(--text);border:1px solid var(--line);border-radius:6px;padding:4px 8px;font:inherit}
.links a{margin-right:14px}.mono{font:12px ui-monospace,monospace}.muted{color:var(--muted)}
#banner{display:none;background:var(--bad);color:#0d1117;padding:8px 28px;font-weight:600}
#login{display:none;background:var(--panel);border-bottom:1px solid var(--line);padding:12px 28px;gap:10px;align-items:center}
nav.views{display:flex;gap:4px;flex-wrap:wrap}nav.views a{padding:4px 10px;border-radius:6px;color:var(--text)}
nav.views a.on{background:var(--panel2);outline:1px solid var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,[tabindex]:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
select{background:var(--panel2);color:var(--text);border:1px solid var(--line);border-radius:6px;padding:4px 6px;font:inherit}
form.filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:end}form.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:2px}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:11px;text-transform:uppercase;letter-spacing:.5px;color:var(--muted);font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.bad td{background:rgba(236,95,89,.12)}.pager{display:flex;gap:8px;align-items:center;margin-top:10px}
pre{margin:4px 0 0;padding:8px;background:var(--panel2);border-radius:6px;overflow-x:auto;font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-word}
.error{color:var(--bad);font-weight:600}.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px}.kv dt{color:var(--muted)}.kv dd{margin:0}
.chart{display:flex;align-items:flex-end;gap:2px;height:90px;border-bottom:1px solid var(--line)}.chart div{flex:1;min-width:3px;display:flex;flex-direction:column-reverse}
.chart span{display:block}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:16px}.charts figure{margin:0}
.charts figcaption{font-size:13px;margin-bottom:4px}.legend{flex-wrap:wrap}.legend{font-size:12px;color:var(--muted);display:flex;gap:12px;margin-top:4px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
@media (max-width:640px){header{flex-wrap:wrap;padding:10px 14px}main{padding:12px 10px 40px}.wf{grid-template-columns:minmax(90px,130px) 1fr 60px}}
"""#
}
