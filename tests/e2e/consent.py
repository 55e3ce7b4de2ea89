"""A browser for `auth login --web` tests (ATLCTL_BROWSER): opens the authorize URL given last,
fills the sandbox's consent page (email, password, Accept or Cancel) and follows the redirect to
atlctl's callback, as a user's browser would.

    python consent.py accept|cancel EMAIL PASSWORD URL"""

import re
import sys
from html import unescape

import httpx


def main(decision: str, email: str, password: str, url: str) -> None:
    with httpx.Client(timeout=10, trust_env=False) as browser:
        page = browser.get(url).text
        form = re.search(r'<form id="consent" method="post" action="([^"]+)">(.*?)</form>', page, re.S)
        fields = {unescape(name): unescape(value)
                  for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form[2])}
        answer = browser.post(unescape(form[1]), data={**fields, "email": email, "password": password,
                                                       "decision": decision})
        browser.get(answer.headers["Location"])  # the callback on 127.0.0.1


if __name__ == "__main__":
    main(*sys.argv[1:5])
