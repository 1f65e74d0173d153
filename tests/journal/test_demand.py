"""Skills in demand across openings, weighed by an IDF (journal/demand.py)."""

from journal.demand import skills_in_demand, to_build


def opening(pid: int, company: str = "Acme", location: str | None = "Berlin") -> dict:
    return {"posting_id": pid, "title": f"Engineer {pid}", "company": company, "location": location, "url": None}


def test_a_skill_named_by_nearly_every_ad_weighs_less_than_a_rarer_one():
    openings = [opening(i) for i in range(1, 5)]
    skills_of = {i: ["communication", "Kafka"] if i <= 2 else ["communication"] for i in range(1, 5)}
    demand = skills_in_demand(openings, skills_of, {"communication": 95, "Kafka": 3}, 100, [], [])
    assert [s.skill for s in demand] == ["Kafka", "communication"]
    assert demand[1].openings == 4 and demand[0].openings == 2


def test_the_employer_s_name_and_place_are_not_skills_it_asks_for():
    openings = [opening(1, company="Juniper & Oak Home", location="Dublin, Ireland"), opening(2)]
    skills_of = {1: ["Juniper", "Ireland", "SQL"], 2: ["Juniper", "SQL"]}
    demand = {s.skill: s for s in skills_in_demand(openings, skills_of, {"Juniper": 2, "Ireland": 1, "SQL": 2}, 50,
                                                     ["SQL"], [])}
    assert "Ireland" not in demand
    assert demand["Juniper"].openings == 1  # named by the second ad, whose employer is not Juniper
    assert demand["SQL"].have and demand["SQL"].openings == 2
    assert [s.skill for s in to_build(list(demand.values()), 2)] == ["Juniper"]
