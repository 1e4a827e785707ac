"""Maps: the offline HTML map and slide images of a view of the network.

Modules: `view` (what a map shows), `layout` (where), `drawing` (bends and labels both
renderers share), `html` and `image` (drawing), `render` (one call per command). Heavy
libraries (pyvis, matplotlib, igraph) are imported inside the functions that draw.
"""

MAP_FORMATS = ("html", "png", "svg", "pdf")
