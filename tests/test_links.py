"""Links that open a view: the query a link carries, read into a tab and its fields' values."""

import pytest

from fashion_gan import links


def test_a_link_gives_its_tab_and_values():
    tab, values, ignored = links.read({"tab": "generate", "class": "bag", "seed": "7", "truncation": "0.5"})
    assert (tab, values, ignored) == ("generate", {"class": "Bag", "seed": 7, "truncation": 0.5}, [])
    tab, values, ignored = links.read({"tab": "walk", "seeds": "3, 17, 42-45", "all": "true", "method": "lerp"})
    assert values == {"seeds": "3, 17, 42-45", "all": True, "method": "lerp"} and not ignored
    tab, values, _ = links.read({"tab": "map", "x": "3.25", "y": "2.5", "left": "0"})
    assert values == {"x": 3.25, "y": 2.5, "left": 0}
    assert links.read({}) == (None, {}, [])


@pytest.mark.parametrize("query, words", [
    ({"tab": "generate", "seed": "abc"}, "seed=abc (not a number)"),
    ({"tab": "generate", "seed": "-1"}, "seed=-1 (not from 0 to 2,147,483,647)"),
    ({"tab": "generate", "seed": "1.5"}, "seed=1.5 (not a whole number)"),
    ({"tab": "generate", "class": "Hat"}, "class=Hat (not a class name)"),
    ({"tab": "generate", "colour": "red"}, "colour (not a parameter of the generate view)"),
    ({"tab": "attic"}, "tab=attic (no such view"),
    ({"seed": "7"}, "seed (not a parameter of a link without tab=)"),
    ({"tab": "walk", "seeds": "9-2"}, "seeds=9-2 (seeds: the range 9-2 runs backwards; write 2-9)"),
    ({"tab": "walk", "all": "maybe"}, "all=maybe (use true or false)"),
    ({"tab": "interpolate", "method": "cubic"}, "method=cubic (use slerp or lerp)"),
    ({"tab": "directions", "amount": "nan"}, "amount=nan (not from -5 to 5)"),
])
def test_bad_or_unknown_parameters_are_named_and_the_rest_kept(query, words):
    tab, values, ignored = links.read({**query, "count" if query.get("tab") == "generate" else "_": "3"})
    assert any(words in line for line in ignored), ignored
    if query.get("tab") == "generate":
        assert values.get("count") == 3  # the good parameters still apply
