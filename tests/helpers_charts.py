"""Reading what a chart says (tests only)."""

from matplotlib.text import Text

from dbanalysis import plotting as pl


def source_text(fig) -> str:
    """The chart's one source line, kept for the page's caption (no text of the image
    is a source line: the caption carries it, as text a reader can select)."""
    assert not [t for t in fig.findobj(Text) if t.get_gid() == pl.SOURCE_GID]
    return fig.dbanalysis["source"]


def chart_ids(fig) -> list[str]:
    """The catalogue ids a chart records in ``fig.dbanalysis`` (not in its source line)."""
    return fig.dbanalysis["figure_ids"]
