"""MCP: app.py --mcp serves the API names as tools, listed and called through the `mcp` client package."""

import asyncio
import base64
import io

import numpy as np
import pytest
from gradio_client import Client
from PIL import Image

from appserver import running_app

API_TOOLS = {"generate", "batch", "interpolate", "morph", "class_grid", "gan_image", "walk", "map_point", "edit"}


async def list_and_call(url: str, tool: str, arguments: dict):
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async with streamablehttp_client(f"{url}gradio_api/mcp/") as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = (await session.list_tools()).tools
            return tools, await session.call_tool(tool, arguments)


def picture_of(result) -> np.ndarray:
    """The image an MCP tool answered with: inline image content, or a link to the file."""
    for item in result.content:
        if item.type == "image":
            return np.array(Image.open(io.BytesIO(base64.b64decode(item.data))))
    raise AssertionError(f"no image in {result.content}")


@pytest.fixture(scope="module")
def mcp_app(tiny_generators):
    root = tiny_generators
    with running_app("--weights", root / "cgan", "--gan-weights", root / "gan", "--device", "cpu", "--mcp") as (url, _):
        yield url


def test_the_api_names_are_mcp_tools_that_say_what_they_take(mcp_app):
    tools, result = asyncio.run(list_and_call(mcp_app, "generate", {"class_name": "Bag", "seed": 7, "truncation": 0,
                                                                    "count": 1}))
    described = {tool.name: tool for tool in tools}
    assert API_TOOLS <= set(described)
    generate = described["generate"]
    assert "same seed always gives the same picture" in generate.inputSchema["properties"]["seed"]["description"]
    assert "Ankle boot" in generate.inputSchema["properties"]["class_name"]["description"]
    assert "2,147,483,647" in described["edit"].inputSchema["properties"]["seed"]["description"]
    assert not result.isError
    want = np.array(Image.open(Client(mcp_app, verbose=False).predict("Bag", 7, 0, 1, api_name="/generate")))
    assert np.array_equal(picture_of(result), want)


def test_a_bad_argument_through_mcp_is_a_clear_error(mcp_app):
    for arguments, words in (({"class_name": "Hat"}, "'Hat' is not one of ['T-shirt/top'"),  # the tool's schema
                             ({"seeds": "9-2"}, "seeds: the range 9-2 runs backwards")):  # our handler's line
        call = {"class_name": "Dress", "seeds": "1, 2", "steps": 2, "method": "slerp", "all_classes": False, **arguments}
        _, result = asyncio.run(list_and_call(mcp_app, "walk", call))
        text = " ".join(getattr(item, "text", "") for item in result.content)
        assert result.isError and words in text, text
