"""Reading what a chart says (tests only)."""

from matplotlib.text import Text

from dbanalysis import plotting as pl


def source_text(fig) -> str:
    """The chart's one source line, unwrapped."""
    texts = [t for t in fig.findobj(Text) if t.get_gid() == pl.SOURCE_GID]
    assert len(texts) == 1
    return texts[0].get_text().replace("\n", " ")


def chart_ids(fig) -> list[str]:
    """The catalogue ids a chart records in ``fig.dbanalysis`` (not in its source line)."""
    return fig.dbanalysis["figure_ids"]
