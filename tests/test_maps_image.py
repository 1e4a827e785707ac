"""Slide images: size, formats, same picture as the HTML map, title, legend and footer."""
from __future__ import annotations

import struct

import pytest
from click.testing import CliRunner

import cli
from graph.errors import EspooNetError
from maps import image
from maps.image import label_candidates, write_image
from maps.view import build_view
from graph.style import node_style


@pytest.fixture(scope="module")
def view(small_graph):
    return build_view(small_graph)


def png_size(path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_png_is_slide_sized_by_default(view, tmp_path):
    out = tmp_path / "map.png"
    result = write_image(view, out)
    assert png_size(out) == (1920, 1080)
    assert result == {"path": str(out), "format": "png", "width": 1920, "height": 1080, "missing_glyphs": ""}


def test_other_sizes_and_formats(view, tmp_path):
    write_image(view, tmp_path / "small.png", size=(1280, 720))
    assert png_size(tmp_path / "small.png") == (1280, 720)
    write_image(view, tmp_path / "map.svg")
    svg = (tmp_path / "map.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and 'viewBox="0 0 1382.4 777.6"' in svg  # 1920x1080 px at 100 dpi, in points
    write_image(view, tmp_path / "map.pdf")
    assert (tmp_path / "map.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_images_are_byte_identical_across_runs(view, tmp_path, fmt):
    write_image(view, tmp_path / f"a.{fmt}")
    write_image(view, tmp_path / f"b.{fmt}")
    assert (tmp_path / f"a.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes()


def test_unknown_format_and_sizes_out_of_range_are_refused(view, tmp_path):
    with pytest.raises(EspooNetError, match="unknown image format 'gif'"):
        write_image(view, tmp_path / "map.gif")
    for size in ((100, 100), (300, 200), (799, 600), (100_000, 100_000), (1920, 8001)):
        with pytest.raises(EspooNetError, match=r"out of range \(from 800x450 to 8000x8000\)"):
            write_image(view, tmp_path / "map.png", size=size)
    assert not (tmp_path / "map.png").exists()


def test_the_image_draws_the_html_maps_nodes_where_it_puts_them(view):
    from matplotlib.collections import PathCollection

    fig = image.figure(view)
    markers = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]  # the scatters
    drawn = sorted((round(float(x), 5), round(float(y), 5)) for c in markers for x, y in c.get_offsets())
    assert drawn == sorted(view.positions.values())
    # Colours by kind, as the HTML legend has them.
    espoo_colour = node_style("city").colour.lower()
    face = [c for c in markers if tuple(c.get_offsets()[0]) == view.positions["espoo"]]
    assert face and "#%02x%02x%02x" % tuple(int(v * 255 + 0.5) for v in face[0].get_facecolor()[0][:3]) == espoo_colour


def test_title_legend_and_footer(view):
    fig = image.figure(view)
    texts = [t.get_text() for t in fig.texts]
    assert texts[0] == "Espoo's international network" and texts[1] == "11 entities, 12 relations"
    footer = texts[2]
    assert footer.startswith("Ties as of ") and "Sources: 2 pages on 2 sites (enterespoo.fi, espoo.fi)" in footer
    assert "seen 2025-05-01 to 2025-06-10" in footer
    legends = {lg.get_title().get_text(): [t.get_text() for t in lg.get_texts()] for lg in fig.legends}
    assert legends["Entities"][:2] == ["City (4)", "Region (2)"]
    # Each line style the map draws, named by the kinds it stands for; a family drawn solid only is one entry.
    assert legends["Relations (line style: kind)"] == [
        "Relationships: twin town (2)", "Relationships: sister city (1)", "Relationships: partner city (2)",
        "Relationships: works for (1)", "Relationships: contact for (1)", "Relationships: collaborates with\n(1)",
        "Structure (1)", "Shared activities: party to (2)", "Place (1)"]
    lines = {h.get_label(): h.get_linestyle() for lg in fig.legends for h in lg.legend_handles}
    assert lines["Relationships: twin town (2)"] == "-" and lines["Relationships: sister city (1)"] != "-"


def test_labels_put_the_route_and_our_side_first(small_graph):
    v = build_view(small_graph)
    v.route = ["koge", "espoo"]
    chosen = label_candidates(v, limit=3)
    assert chosen[:2] == ["koge", "espoo"] and "enter-espoo" in chosen[:4]
    assert len(label_candidates(build_view(small_graph))) == 11  # a small map labels everything


def test_names_in_other_scripts_are_drawn_or_reported(view, tmp_path, monkeypatch):
    missing = write_image(view, tmp_path / "cjk.png")["missing_glyphs"]
    assert missing == "", f"no font draws {missing}: `make browser` installs fonts-wqy-zenhei"
    monkeypatch.setattr(image, "_fonts", lambda: ("DejaVu Sans",))
    result = write_image(view, tmp_path / "no-cjk.png")  # no warning escapes (warnings are errors here)
    assert set("上海충청북도") <= set(result["missing_glyphs"])


def test_cluster_colours_and_highlight_route_reach_the_image(small_graph):
    v = build_view(small_graph)
    v.route, v.route_edges, v.route_label = ["espoo", "koge"], frozenset({"espoo--twin-town--koge--1959"}), "Route"
    fig = image.figure(v)
    legends = {lg.get_title().get_text(): [t.get_text() for t in lg.get_texts()] for lg in fig.legends}
    assert legends["Highlighted"] == ["Route"]


def test_map_command_writes_slides(small_data, tmp_path):
    out = tmp_path / "slide.png"
    r = CliRunner().invoke(cli.main, ["map", "--out", str(out), "--size", "1600x900", "--title", "Nordic twins",
                                      "--kinds", "city", "--data", str(small_data)])
    assert r.exit_code == 0, r.output
    assert png_size(out) == (1600, 900)
    assert "entities" in r.stdout and str(out) in r.stdout
