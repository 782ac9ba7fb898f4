"""Google OR-Tools routing on an HHCRSP instance, as a peer for
`cargo xtask bench schedule`.

usage: ortools_hhcrsp.py INSTANCE.json SECONDS OUT.json

Each service a patient needs is a node (a double-up is two nodes at one
place). Caregivers are vehicles starting and ending at the office; a node
is allowed only to caregivers with the ability; the time dimension carries
travel plus service time, with waiting allowed. Simultaneous pairs start at
the same time on different caregivers; sequential pairs start within their
gaps. Lateness past the window is a soft bound costing 1 per minute, travel
costs its distance. (The benchmark also charges the largest lateness once
more; OR-Tools' routing objective has no term for a maximum, so it is left
out of the model, and Caredesk's evaluator charges it when scoring.)
Times are scaled by 1000 to integers. Writes the solution in the
benchmark's format.
"""
import json
import sys

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

SCALE = 1000


def main(instance: str, seconds: float, out: str) -> None:
    data = json.load(open(instance))
    patients, carers, dist = data["patients"], data["caregivers"], data["distances"]
    nodes = [(None, None, 0.0, 0)]  # (patient index, service, duration, place)
    for p_index, p in enumerate(patients):
        for need in p["required_caregivers"]:
            nodes.append((p_index, need["service"], need["duration"], p_index + 1))
    manager = pywrapcp.RoutingIndexManager(len(nodes), len(carers), 0)
    routing = pywrapcp.RoutingModel(manager)

    def travel(i, j):
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return int(round(dist[nodes[a][3]][nodes[b][3]] * SCALE))

    def time(i, j):
        a = manager.IndexToNode(i)
        return travel(i, j) + int(round(nodes[a][2] * SCALE))

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(travel))
    time_cb = routing.RegisterTransitCallback(time)
    horizon = 10 ** 9
    routing.AddDimension(time_cb, horizon, horizon, True, "time")
    clock = routing.GetDimensionOrDie("time")
    solver = routing.solver()
    by_patient = {}
    for n in range(1, len(nodes)):
        p_index, service, _, _ = nodes[n]
        index = manager.NodeToIndex(n)
        early, late = patients[p_index]["time_window"]
        clock.CumulVar(index).SetMin(int(round(early * SCALE)))
        clock.SetCumulVarSoftUpperBound(index, int(round(late * SCALE)), 1)
        barred = [k for k, c in enumerate(carers) if service not in c["abilities"]]
        if barred:
            routing.VehicleVar(index).RemoveValues(barred)
        by_patient.setdefault(p_index, []).append(index)
    for p_index, indexes in by_patient.items():
        sync = patients[p_index].get("synchronization")
        if len(indexes) != 2 or not sync:
            continue
        a, b = indexes
        solver.Add(routing.VehicleVar(a) != routing.VehicleVar(b))
        if sync["type"] == "simultaneous":
            solver.Add(clock.CumulVar(a) == clock.CumulVar(b))
        else:
            low, high = sync["distance"]
            solver.Add(clock.CumulVar(b) >= clock.CumulVar(a) + int(round(low * SCALE)))
            solver.Add(clock.CumulVar(b) <= clock.CumulVar(a) + int(round(high * SCALE)))

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        sys.exit("OR-Tools found no solution in the time allowed")
    routes = []
    for k, carer in enumerate(carers):
        stops = []
        index = routing.Start(k)
        while not routing.IsEnd(index):
            n = manager.IndexToNode(index)
            if n != 0:
                p_index, service, duration, _ = nodes[n]
                start = solution.Min(clock.CumulVar(index)) / SCALE
                stops.append({"patient": patients[p_index]["id"], "service": service,
                              "arrival_time": start, "departure_time": start + duration})
            index = solution.Value(routing.NextVar(index))
        routes.append({"caregiver_id": carer["id"], "locations": stops})
    json.dump({"routes": routes}, open(out, "w"), indent=1)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), sys.argv[3])
