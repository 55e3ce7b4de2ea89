"""A product that needs no server, for testing the bulk engine: its actions record what they did."""

import threading
import time

from atlctl.errors import ClientError, ParameterError, RemoteError
from atlctl.http.connection import OutcomeUnknown
from atlctl.products.base import ActionSet, Param, Result

ACTIONS = ActionSet("fake")
action = ACTIONS.action


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.things: list[str] = []  # names, in the order they were added
        self.touched: list[str] = []
        self.values: list[dict] = []  # every call's parameter values
        self.active = self.most_active = 0
        self.barrier: threading.Barrier | None = None
        self.hook = lambda call: None  # called as each action starts
        self.fail_on = self.die_before = self.die_after = self.lose_after = None  # a name: what happens to that row

    def reset(self):
        self.__init__()


STORE = Store()
ERRORS = {"253": RemoteError, "255": ClientError, "254": ParameterError}


def _enter(call):
    STORE.hook(call)
    with STORE.lock:
        STORE.values.append(dict(call.values))
        STORE.active += 1
        STORE.most_active = max(STORE.most_active, STORE.active)
    try:
        if STORE.barrier is not None:
            STORE.barrier.wait(timeout=30)  # proves that rows run together; never a timing assertion
        if call["wait"]:
            time.sleep(float(call["wait"]))
        if call["fail"]:
            raise ERRORS.get(call["fail"], RuntimeError)(f"asked to fail with {call['fail']}")
    finally:
        with STORE.lock:
            STORE.active -= 1


@action("getValue", "Echo --value.", Param("value", "A value.", required=True),
        Param("fail", "Fail with this exit code."), Param("wait", "Seconds to wait."), needs=(), reads=True)
def get_value(call):
    _enter(call)
    return Result(f"Value {call['value']}", variables={"value": call["value"]})


class ThingFinder:
    """Finds what an addThing row did, like CreatedIssue finds a created issue."""

    def mark(self, call):
        return {"name": call["name"]}

    def find(self, call, mark):
        return [Result(f"Thing T-{n} found.", variables={"thing": f"T-{n}", "thingId": str(n)})
                for n, name in enumerate(STORE.things, 1) if name == mark["name"]]


@action("addThing", "Add a thing (not idempotent).", Param("name", "Name.", required=True),
        Param("fail", "Fail with this exit code."), Param("wait", "Seconds to wait."),
        Param("secret", "A secret parameter.", secret=True), needs=(), finder=ThingFinder)
def add_thing(call):
    _enter(call)
    if call["name"] == STORE.fail_on:
        raise RemoteError(f"{call['name']} is refused")
    if call["name"] == STORE.die_before:
        raise KeyboardInterrupt  # stands for a SIGKILL before the request reached the server
    with STORE.lock:
        STORE.things.append(call["name"])
        number = len(STORE.things)
    if call["name"] == STORE.lose_after:
        raise OutcomeUnknown("The connection was lost after sending POST /thing.")
    if call["name"] == STORE.die_after:
        raise KeyboardInterrupt  # stands for a SIGKILL right after the server did it
    return Result(f"Thing T-{number} added.", data={"thing": f"T-{number}", "name": call["name"]},
                  variables={"thing": f"T-{number}", "thingId": str(number)})


@action("touchThing", "Change a thing (not idempotent, no finder).", Param("name", "Name.", required=True),
        needs=())
def touch_thing(call):
    _enter(call)
    with STORE.lock:
        STORE.touched.append(call["name"])
    if call["name"] == STORE.die_after:
        raise KeyboardInterrupt
    return Result(f"Touched {call['name']}.")
