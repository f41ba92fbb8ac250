"""The table, the ratios against the issue's goals, RESULTS.md and results.png."""

from __future__ import annotations

import statistics
from datetime import datetime
from pathlib import Path

from bench import queries

FORESPOERGSLER = {
    "liste": "(a) 500 citizens with absences and summons",
    "borger": "(b) one citizen by CPR",
    "opret": "(c) fravaerOpret (write)",
}
TITLER = {
    "dfdg": "dfdg (planned reads)",
    "dfdg-ref": "dfdg, strawberry executor",
    "floor": "hand-written floor",
    "postgraphile": "PostGraphile v5",
}
KORT = {"dfdg": "dfdg\nplanned", "dfdg-ref": "dfdg\nstrawberry", "floor": "floor", "postgraphile": "PostGraphile\nv5"}


def _samlet(ms):
    requests = sum(m.requests for m in ms)
    seconds = sum(m.seconds for m in ms)
    return {
        "rps": requests / seconds if seconds else 0.0,
        "p50": statistics.median(m.p50_ms for m in ms),
        "p99": statistics.median(m.p99_ms for m in ms),
        "fejl": sum(m.errors for m in ms),
        "runder": [round(m.rps, 1) for m in ms],
    }


def raekker(res) -> list[dict]:
    ud = []
    for navn in FORESPOERGSLER:
        for impl in ("dfdg", "postgraphile", "floor", "dfdg-ref"):
            ms = res.maalinger.get((navn, impl))
            if not ms:
                continue
            s = _samlet(ms)
            ud.append({"query": navn, "impl": impl, **s, "statements": res.statements.get((navn, impl)),
                       "rss": res.rss.get(impl), "felter": res.felter.get((navn, impl))})
    return ud


def forhold(res) -> list[tuple[str, str, float | None, bool | None]]:
    """(goal, measured as text, value, met) for each goal of the issue that this run measured."""
    s = {(r["query"], r["impl"]): r for r in raekker(res)}

    def rps(q, i):
        r = s.get((q, i))
        return r["rps"] if r else None

    ud = []

    def maal(tekst, value, graense, stoerre=True, fmt="{:.2f}×"):
        if value is None:
            return
        ud.append((tekst, fmt.format(value), value, value >= graense if stoerre else value <= graense))

    a_pg = rps("liste", "postgraphile")
    a_floor = rps("liste", "floor")
    a = rps("liste", "dfdg")
    if a and a_pg:
        maal("(a) list: dfdg / PostGraphile ≥ 1.0×", a / a_pg, 1.0)
    if a and a_floor:
        maal("(a) list: dfdg / floor ≥ 0.5×", a / a_floor, 0.5)
    b, b_pg = rps("borger", "dfdg"), rps("borger", "postgraphile")
    if b and b_pg:
        maal("(b) one citizen: dfdg / PostGraphile ≥ 0.8×", b / b_pg, 0.8)
    c, c_floor = rps("opret", "dfdg"), rps("opret", "floor")
    if c and c_floor:
        maal("(c) fravaerOpret: dfdg / floor ≥ 0.5×", c / c_floor, 0.5)
    st = res.statements.get(("liste", "dfdg"))
    if st is not None:
        # page, fravaer, indkaldelser: three relation levels' loaders (+1 allowed for the access log)
        maal("(a) statements per request ≤ one per relation and level (page, fravaer, indkaldelser; +1 access log)", st, 4,
             stoerre=False, fmt="{:g}")
    rss = res.rss.get("dfdg")
    if rss:
        maal("peak RSS of dfdg's worker < 250 MB", rss, 250, stoerre=False, fmt="{:.0f} MB")
    lille, stor = res.stor.get(("borger", "10k")), res.stor.get(("borger", "1M"))
    if lille and stor:
        p_l = statistics.median(m.p50_ms for m in lille)
        p_s = statistics.median(m.p50_ms for m in stor)
        maal("(b) p50 with 1,000,000 / with 10,000 citizens ≤ 1.2×", p_s / p_l, 1.2, stoerre=False)
    ref = rps("liste", "dfdg-ref")
    if a and ref:
        ud.append(("(a) dfdg planned / strawberry executor (for information)", f"{a / ref:.1f}×", a / ref, None))
    ref_b = rps("borger", "dfdg-ref")
    if b and ref_b:
        ud.append(("(b) dfdg planned / strawberry executor (for information)", f"{b / ref_b:.1f}×", b / ref_b, None))
    return ud


def tabel(res) -> str:
    linjer = ["| query | implementation | req/s | p50 ms | p99 ms | statements/req | peak RSS MB | req/s per round |",
              "|---|---|---:|---:|---:|---:|---:|---|"]
    for r in raekker(res):
        st = "" if r["statements"] is None else f"{r['statements']:g}"
        rss = "" if r["rss"] is None else f"{r['rss']:.0f}"
        fejl = f" ({r['fejl']} errors)" if r["fejl"] else ""
        linjer.append(f"| {FORESPOERGSLER[r['query']]} | {TITLER[r['impl']]} | {r['rps']:,.1f}{fejl} | {r['p50']:.2f} | "
                      f"{r['p99']:.2f} | {st} | {rss} | {', '.join(map(str, r['runder']))} |")
    if res.stor:
        linjer += ["", "| query (dfdg) | database | req/s | p50 ms | p99 ms |", "|---|---|---:|---:|---:|"]
        for (navn, stoerrelse), ms in sorted(res.stor.items()):
            s = _samlet(ms)
            linjer.append(f"| {FORESPOERGSLER[navn]} | {stoerrelse} citizens | {s['rps']:,.1f} | {s['p50']:.2f} | {s['p99']:.2f} |")
    linjer += ["", "| goal (issue #5) | measured | met |", "|---|---:|:---:|"]
    for tekst, maalt, _, ok in forhold(res):
        linjer.append(f"| {tekst} | {maalt} | {'' if ok is None else ('yes' if ok else 'no')} |")
    return "\n".join(linjer)


def skriv(res, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    info = res.info
    felter = res.felter.get(("liste", "dfdg"))
    md = [
        "# Benchmark results",
        "",
        "Written by `python -m bench --stor` (see README, *Benchmark*); numbers from one run, on one machine that",
        "other work shared (load average at the end below): read the ratios, which are measured side by side",
        "(interleaved A/B/A/B), rather than the absolute numbers.",
        "",
        f"- date: {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- commit: {info.get('commit')}",
        f"- machine: {info.get('cpu')}, {info.get('ram')} RAM, {info.get('os')}",
        f"- {info.get('postgresql')}; Python {info.get('python')} ({info.get('pakker')})",
        f"- {info.get('node', 'PostGraphile not run')}",
        f"- load: {info.get('wrk')}, {info.get('opsaetning')}",
        f"- load average at the end (1/5/15 min): {info.get('load')}; duration {info.get('varighed')}",
        f"- (a) answers {felter:,} fields" if felter else "",
        "",
        tabel(res),
        "",
        "![throughput and p99](results.png)",
        "",
        "## The queries",
        "",
        "```graphql", queries.LISTE, "", queries.BORGER, "", queries.OPRET, "```",
        "",
        "PostGraphile answers the same data under its own names:",
        "",
        "```graphql", queries.LISTE_PG, "", queries.BORGER_PG, "```",
        "",
    ]
    (out / "RESULTS.md").write_text("\n".join(line for line in md if line is not None) + "\n")
    tegn(res, out / "results.png")


def tegn(res, sti: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rk = raekker(res)
    navne = [q for q in FORESPOERGSLER if any(r["query"] == q for r in rk)]
    impls = [i for i in ("dfdg", "postgraphile", "floor", "dfdg-ref") if any(r["impl"] == i for r in rk)]
    farver = {"dfdg": "#1f77b4", "postgraphile": "#ff7f0e", "floor": "#7f7f7f", "dfdg-ref": "#aec7e8"}
    fig, akser = plt.subplots(2, len(navne), figsize=(4.2 * len(navne), 7), squeeze=False)
    for j, q in enumerate(navne):
        for i, (noegle, titel) in enumerate((("rps", "requests/s"), ("p99", "p99 latency, ms"))):
            ax = akser[i][j]
            data = [(impl, next((r[noegle] for r in rk if r["query"] == q and r["impl"] == impl), None)) for impl in impls]
            data = [(impl, v) for impl, v in data if v is not None]
            bars = ax.bar([KORT[d[0]] for d in data], [d[1] for d in data],
                          color=[farver[d[0]] for d in data])
            ax.bar_label(bars, fmt="%.0f" if noegle == "rps" else "%.1f", fontsize=8)
            ax.set_title(f"{FORESPOERGSLER[q]}\n{titel}", fontsize=9)
            ax.tick_params(axis="x", labelsize=7)
            ax.tick_params(axis="y", labelsize=8)
    fig.suptitle(f"dfdg vs PostGraphile v5 vs a hand-written floor — one worker, concurrency 10, same database "
                 f"({res.info.get('commit', '').split(' ')[0]})", fontsize=10)
    fig.tight_layout()
    fig.savefig(sti, dpi=110)
    plt.close(fig)
