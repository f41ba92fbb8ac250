"""The table, the ratios against the issue's goals, RESULTS.md and results.png."""

from __future__ import annotations

import re
import statistics
from datetime import datetime
from pathlib import Path

from bench import queries

FORESPOERGSLER = {f.navn: f.titel for f in queries.FORESPOERGSLER}
IMPLS = ("dfdg", "postgraphile", "floor", "dfdg-ref")
# The existing three must stay where the last full run put them (issue #12): their ratios, measured
# side by side, against the last run's, with this much room for the noise between two runs.
STOEJ = 0.05
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
        for impl in IMPLS:
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
    forrige = res.info.get("forrige") or {}
    foer_rps = forrige.get("rps", {})
    for navn, mod in (("liste", "postgraphile"), ("liste", "floor"), ("borger", "postgraphile"), ("borger", "floor"),
                      ("opret", "floor")):
        nu, foer = _forhold(rps(navn, "dfdg"), rps(navn, mod)), _forhold(foer_rps.get((navn, "dfdg")), foer_rps.get((navn, mod)))
        if nu is not None and foer is not None:
            tekst = (f"{FORESPOERGSLER[navn][:3]} dfdg / {TITLER[mod]} ≥ the last full run's {foer:.2f}× "
                     f"({forrige.get('commit')}), less {STOEJ:.0%} noise")
            if _vaerktoej(res.info.get("wrk", "")) != forrige.get("vaerktoej"):
                # the Python client shares the CPUs with the servers: its ratios are not wrk's
                tekst += f" (not comparable: that run's load came from {forrige.get('vaerktoej')})"
                ud.append((tekst, f"{nu:.2f}×", nu, None))
            else:
                ud.append((tekst, f"{nu:.2f}×", nu, nu >= foer * (1 - STOEJ)))
    return ud


def _vaerktoej(tekst: str) -> str:
    """The load generator named in a run's description: wrk or the Python client."""
    return "wrk" if tekst.startswith("wrk") else "the python client"


def _forhold(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def per_forespoergsel(res) -> list[dict]:
    """For every query: dfdg against the others (req/s, side by side), and whether the plan answered."""
    s = {(r["query"], r["impl"]): r["rps"] for r in raekker(res)}
    ud = []
    for navn in FORESPOERGSLER:
        dfdg = s.get((navn, "dfdg"))
        if dfdg is None:
            continue
        planlagt = res.planlagt.get((navn, "dfdg"))
        ud.append({
            "query": navn, **{f"mod_{i}": _forhold(dfdg, s.get((navn, i))) for i in ("postgraphile", "floor", "dfdg-ref")},
            "planlagt": "" if planlagt is None else ("yes" if planlagt else "no"),
        })
    return ud


def forrige(sti: Path) -> dict:
    """The last full run's RESULTS.md (as ``skriv`` wrote it): its commit and req/s per (query, impl)."""
    try:
        tekst = sti.read_text()
    except OSError:
        return {}
    titler = {v: k for k, v in FORESPOERGSLER.items()}
    impls = {v: k for k, v in TITLER.items()}
    rps = {}
    for linje in tekst.splitlines():
        celler = [c.strip() for c in linje.split("|")[1:-1]]
        if len(celler) >= 3 and celler[0] in titler and celler[1] in impls:
            tal = re.match(r"[\d,.]+", celler[2])
            if tal:
                rps[(titler[celler[0]], impls[celler[1]])] = float(tal.group().replace(",", ""))
    commit = re.search(r"^- commit: (\S+)", tekst, re.M)
    last = re.search(r"^- load: (.*)$", tekst, re.M)
    return {"rps": rps, "commit": commit.group(1) if commit else "?",
            "vaerktoej": _vaerktoej(last.group(1) if last else "")} if rps else {}


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
    pf = per_forespoergsel(res)
    if pf:
        vis_plan = any(r["planlagt"] for r in pf)
        linjer += ["", "| query | dfdg / PostGraphile | dfdg / floor | dfdg planned / strawberry executor |"
                   + (" plan answered |" if vis_plan else ""),
                   "|---|---:|---:|---:|" + ("---|" if vis_plan else "")]
        for r in pf:
            celler = ["" if r[k] is None else f"{r[k]:.2f}×" for k in ("mod_postgraphile", "mod_floor", "mod_dfdg-ref")]
            plan = f" {r['planlagt']} |" if vis_plan else ""
            linjer.append(f"| {FORESPOERGSLER[r['query']]} | {' | '.join(celler)} |{plan}")
    linjer += ["", "| goal (issues #5, #12) | measured | met |", "|---|---:|:---:|"]
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
        f"Written by `python -m bench{' --stor' if res.stor else ''}` (see README, *Benchmark*); numbers from one run, on",
        "one machine that other work shared (load average at the end below): read the ratios, which are measured",
        "side by side (interleaved A/B/A/B), rather than the absolute numbers.",
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
        "The caller is a jobcentre (authority 101); the set-up (`bench/run.py`) gives it a full page of each.",
        "",
        "```graphql", "\n\n".join(f.dokument for f in queries.FORESPOERGSLER), "```",
        "",
        "PostGraphile answers the same data under its own names (compared after mapping them, `bench/queries.py`):",
        "",
        "```graphql", "\n\n".join(f.pg for f in queries.FORESPOERGSLER if f.pg), "```",
        "",
        "What PostGraphile (amber preset, no plugins) cannot say, and how the comparison still holds:",
        "",
        *(f"- {FORESPOERGSLER[navn]}: {note}" for navn, note in queries.PG_NOTER.items()),
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
    impls = [i for i in IMPLS if any(r["impl"] == i for r in rk)]
    farver = {"dfdg": "#1f77b4", "postgraphile": "#ff7f0e", "floor": "#7f7f7f", "dfdg-ref": "#aec7e8"}
    # at most four queries side by side; each query a column of two charts (throughput over p99)
    kolonner = min(4, len(navne))
    raekker_ = -(-len(navne) // kolonner)
    fig, akser = plt.subplots(2 * raekker_, kolonner, figsize=(4.2 * kolonner, 7 * raekker_), squeeze=False)
    for ax in akser.flat:
        ax.set_visible(False)
    for n, q in enumerate(navne):
        raekke, j = divmod(n, kolonner)
        for i, (noegle, titel) in enumerate((("rps", "requests/s"), ("p99", "p99 latency, ms"))):
            ax = akser[2 * raekke + i][j]
            ax.set_visible(True)
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
