"""PyVRP on a Solomon VRPTW instance, as a peer for `cargo xtask bench schedule`.

usage: pyvrp_solomon.py INSTANCE.txt SECONDS OUT.sol

Distances follow the DIMACS convention the best-known routes use: each leg
is the Euclidean distance truncated to one decimal. PyVRP works in whole
numbers, so distances, times and windows are given in tenths. Writes the
best routes in the `.sol` format; Caredesk's evaluator scores them.
"""
import math
import sys

import vrplib
from pyvrp import Model
from pyvrp.stop import MaxRuntime


def main(instance: str, seconds: float, out: str) -> None:
    data = vrplib.read_instance(instance, instance_format="solomon")
    coords, windows = data["node_coord"], data["time_window"]
    service, demand = data["service_time"], data["demand"]
    model = Model()
    places = [model.add_location(float(x), float(y)) for x, y in coords]
    depot = model.add_depot(places[0], tw_early=int(windows[0][0]) * 10, tw_late=int(windows[0][1]) * 10)
    model.add_vehicle_type(
        num_available=int(data["vehicles"]), capacity=int(data["capacity"]),
        start_depot=depot, end_depot=depot, tw_early=int(windows[0][0]) * 10, tw_late=int(windows[0][1]) * 10,
    )
    for i in range(1, len(coords)):
        model.add_client(places[i], delivery=int(demand[i]), service_duration=int(service[i]) * 10,
                         tw_early=int(windows[i][0]) * 10, tw_late=int(windows[i][1]) * 10)
    for i, a in enumerate(coords):
        for j, b in enumerate(coords):
            tenths = math.floor(math.hypot(a[0] - b[0], a[1] - b[1]) * 10)
            model.add_edge(places[i], places[j], distance=tenths, duration=tenths)
    result = model.solve(MaxRuntime(seconds), seed=1, display=False)
    # Clients are numbered from 0 after the depot; Solomon numbers them from 1.
    routes = [[a.idx + 1 for a in route if a.is_client()] for route in result.best.routes()]
    routes = [r for r in routes if r]
    with open(out, "w") as f:
        for number, visits in enumerate(routes, start=1):
            f.write(f"Route #{number}: {' '.join(str(v) for v in visits)}\n")
        f.write(f"Cost {result.cost() / 10:.1f}\n")


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), sys.argv[3])
