"""What the browser tests check on every page they visit: axe-core's accessibility rules, and that the page fits a
phone (390 × 844) without scrolling sideways (a wide table may scroll inside its own box)."""

from typing import Any

PHONE = {"width": 390, "height": 844}


async def axe_violations(page: Any) -> list[str]:
    """axe-core's violations on the page as it is now (rule id and offending elements), plus ``page N px wide``
    when the page is wider than its viewport."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    found = [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]
    width: int = await page.evaluate("document.documentElement.scrollWidth")
    viewport: int = await page.evaluate("window.innerWidth")
    if width > viewport:
        found.append(f"page {width} px wide")
    return found
