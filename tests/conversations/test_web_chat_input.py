"""Property-based: whatever a browser (or a script pretending to be one) sends the chat's
endpoints, the answer is never a server error, and what is stored comes back as the same text."""
from __future__ import annotations

import itertools
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from helpline.callbacks.conversation_rules import CHAT_TEXT_MAX, check_chat_text

CHAT = {"X-Helpline-Chat": "1"}
_addresses = itertools.count(1)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8)
bodies = st.one_of(
    st.fixed_dictionaries({"text": st.text(max_size=CHAT_TEXT_MAX + 20)},
                          optional={"phone": st.text(max_size=30) | json_values}),
    st.dictionaries(st.sampled_from(["text", "phone", "x"]), json_values, max_size=3),
    json_values,
)
cookies = st.one_of(st.none(), st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126,
                                                              exclude_characters=';,"\\'), max_size=60),
                    st.integers(min_value=-5, max_value=10**30).map(lambda n: f"{n}.secret"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(body=bodies, raw=st.binary(max_size=200), use_raw=st.booleans(), cookie=cookies,
       version=st.text(max_size=20))
def test_no_chat_request_gets_a_server_error(app, week_rota, body, raw, use_raw, cookie, version):
    client = app.test_client()
    environ = {"REMOTE_ADDR": f"10.0.{next(_addresses) % 250}.{next(_addresses) % 250}"}
    if cookie is not None:
        client.set_cookie("helpline_chat", cookie, path="/chat")
    data = raw if use_raw else json.dumps(body)
    sent = client.post("/chat/messages", data=data, content_type="application/json", headers=CHAT,
                       environ_base=environ)
    assert sent.status_code in (201, 400, 409, 422, 429), sent.status_code
    polled = client.get("/chat/messages", query_string={"v": version}, environ_base=environ)
    assert polled.status_code == 200 and polled.is_json
    if sent.status_code == 201 and sent.json["state"] == "open":
        words, problem = check_chat_text(body["text"])
        assert problem is None
        assert polled.json["messages"][-1] == {**polled.json["messages"][-1], "from": "visitor", "text": words}
    assert client.post("/chat/end", data=data, content_type="application/json", headers=CHAT,
                       environ_base=environ).status_code == 200


def test_a_huge_body_odd_bytes_and_an_odd_language_get_no_server_error(client, week_rota):
    assert client.post("/chat/messages", data=b"x" * (2 * 1024 * 1024), content_type="application/json",
                       headers=CHAT).status_code == 413
    assert client.post("/chat/messages", data=b"\xff\xfe\x00{", content_type="application/json",
                       headers=CHAT).status_code == 400
    assert client.get("/chat?lang=%00%ff").status_code == 200
    assert client.get("/chat", headers={"Accept-Language": "\x00;q=x,,"}).status_code == 200
    assert client.get("/chat/messages?v=%00").json == {"state": "none"}
