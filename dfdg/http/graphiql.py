"""GraphiQL served from this process: the page, and its scripts from ``static/graphiql``.

strawberry's GraphiQL page loads React and GraphiQL from a CDN, which a locked-down network (or
an integrator's laptop on a train) cannot reach. The same published files (GraphiQL 3.8.3,
React 18.2.0; MIT) are vendored here byte for byte — the ``integrity`` hashes below are the
ones strawberry's page uses — and served under ``/graphiql-assets/``.

The Headers tab takes ``{"Authorization": "Bearer <token>"}``; headers are not persisted in the
browser's storage (tokens read personal data).
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

ASSETS_DIR = Path(__file__).parent / "static" / "graphiql"
ASSETS_PATH = "/graphiql-assets"

ASSETS = {
    "react.production.min.js": "sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8",
    "react-dom.production.min.js": "sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh",
    "graphiql.min.js": "sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie",
    "graphiql.min.css": "sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM",
}

EXAMPLE_QUERY = """# dfdg — GraphQL-API for DFDG, release 2022-3
#
# Datafelter kræver et bearer-token. Lav et udviklingstoken med
#   dfdg token --role jobcenter --myndighed 10100
# og skriv det i fanen Headers nedenfor:
#   {"Authorization": "Bearer <token>"}
#
# Kør med Ctrl-Enter.

query Kodelister {
  kodelister {
    moedeformer { id navn udgaaet }
  }
}
"""

_PAGE = """<!doctype html>
<html lang="da">
  <head>
    <meta charset="utf-8">
    <title>dfdg GraphiQL</title>
    <style>
      body {{ height: 100%; margin: 0; width: 100%; overflow: hidden; }}
      #graphiql {{ height: 100vh; display: flex; }}
    </style>
    <link rel="stylesheet" href="{base}/graphiql.min.css" integrity="{css}">
    <script src="{base}/react.production.min.js" integrity="{react}"></script>
    <script src="{base}/react-dom.production.min.js" integrity="{react_dom}"></script>
    <script src="{base}/graphiql.min.js" integrity="{graphiql}"></script>
  </head>
  <body>
    <div id="graphiql">Indlæser GraphiQL…</div>
    <script>
      const url = window.location.href.split("?")[0].split("#")[0];
      const wsUrl = url.replace(/^http/, "ws");
      const fetcher = GraphiQL.createFetcher({{ url: url, subscriptionUrl: wsUrl }});
      const root = ReactDOM.createRoot(document.getElementById("graphiql"));
      root.render(React.createElement(GraphiQL, {{
        fetcher: fetcher,
        defaultQuery: {example},
        defaultEditorToolsVisibility: true,
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: false,
        inputValueDeprecation: true,
      }}));
    </script>
  </body>
</html>
"""


def graphiql_html(root_path: str = "") -> str:
    return _PAGE.format(
        base=escape(root_path.rstrip("/") + ASSETS_PATH, quote=True),
        css=ASSETS["graphiql.min.css"], react=ASSETS["react.production.min.js"],
        react_dom=ASSETS["react-dom.production.min.js"], graphiql=ASSETS["graphiql.min.js"],
        example=json.dumps(EXAMPLE_QUERY).replace("<", "\\u003c"),
    )
