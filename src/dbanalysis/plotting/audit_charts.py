"""The arithmetic audit as a chart: verdicts per sector."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..catalogue import figure_labels
from ..core.cache import one_reading
from .bar_charts import legend_below
from .chart_text import text
from .provenance import finish
from .style import OKABE_ITO, new_figure

#: Verdict colours (Okabe-Ito): consistent blue, inconsistent vermilion, ambiguous
#: orange, unverifiable grey.
VERDICT_COLOURS = {"consistent": OKABE_ITO[0], "inconsistent": OKABE_ITO[3],
                   "ambiguous": OKABE_ITO[1], "unverifiable": "#999999"}


@one_reading()  # one version of data/ per chart: its files stat'ed once
def verdict_bars(by_sector: pd.DataFrame, audit: pd.DataFrame,
                 title: str | None = None) -> Figure:
    """Audit verdicts per sector as stacked horizontal bars (``by_sector``: sectors as
    rows, verdicts as columns, from :func:`dbanalysis.audit.run.summary_by_sector`).
    The chart's ids are the catalogue ids the inconsistent checks draw on."""
    data = by_sector.rename(index=lambda s: figure_labels.sector_label(s))[::-1]
    fig, axes = new_figure(figsize=(8, 6.4))
    ax = axes[0, 0]
    left = np.zeros(len(data))
    for verdict in [v for v in VERDICT_COLOURS if v in data.columns]:
        ax.barh(data.index, data[verdict], left=left, color=VERDICT_COLOURS[verdict],
                height=0.7, label=text(f"chart.verdict.{verdict}"), gid=f"verdict:{verdict}")
        left += data[verdict].to_numpy()
    ax.set_xlabel(text("chart.axis.checks"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", visible=False)
    legend_below(ax, ncols=4)
    bad = audit.loc[audit["verdict"] == "inconsistent", "figure_ids"]
    ids = sorted({i for s in bad for i in str(s).split(";") if not i.startswith("d_")})
    n_bad = int((audit["verdict"] == "inconsistent").sum())
    totals = audit["verdict"].value_counts()
    values = [f"{text(f'chart.verdict.{v}')}: {int(totals.get(v, 0))}"
              for v in VERDICT_COLOURS if v in totals]
    return finish(fig, title or text("chart.title.verdicts", bad=n_bad, total=len(audit)),
                  ids, "stacked", values)
