"""A Socket.IO client Truceline did not write (Debian's python3-socketio), as an outside
script would use the live API. Prints one JSON line with what it saw; the test checks it.

usage: python_socketio_client.py URL TOKEN TRANSPORT REPORT_JSON
"""
import json
import sys
import threading

import socketio

url, token, transport, report_json = sys.argv[1:5]
report = json.loads(report_json)
seen = {"hello": None, "new": [], "refused": None}
arrived = threading.Event()
# python-socketio 5.7 waits out its whole timeout when the server refuses the namespace, so
# the script waits itself, for `hello` or the refusal, whichever comes first.
answered = threading.Event()
sio = socketio.Client(reconnection=False)


@sio.on("hello")
def on_hello(data):
    seen["hello"] = data
    answered.set()


@sio.on("reports:new")
def on_new(reports):
    seen["new"].extend(r["id"] for r in reports)
    if report["id"] in seen["new"]:
        arrived.set()


@sio.event
def connect_error(data):
    seen["refused"] = data
    answered.set()


sio.connect(url, auth={"token": token}, transports=[transport], wait=False)
answered.wait(15)
if seen["hello"] is None:
    print(json.dumps({"connected": False, "refused": seen["refused"]}))
    sio.disconnect()
    sys.exit(0)

ack = sio.call("report:submit", report, timeout=15)
arrived.wait(15)
sync = sio.call("reports:sync", {"afterSeq": 0}, timeout=15)
print(json.dumps({
    "connected": True,
    "transport": sio.transport(),
    "hello": seen["hello"],
    "ack": ack,
    "live": report["id"] in seen["new"],
    "synced": [r["id"] for r in sync["reports"]],
}))
sio.disconnect()
