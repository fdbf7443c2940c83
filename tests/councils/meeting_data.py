"""POST data for the meeting form: the meeting, its opinions and follow-ups, as a browser sends it."""


def meeting_post(
    *,
    opinions=(),
    follow_ups=(),
    initial_opinions=0,
    initial_follow_ups=0,
    extra_opinion_forms=0,
    **fields,
):
    data = {
        "fiscal_year": "平成30年度",
        "sequence": "1",
        "status": "held",
        "planned_month": "",
        "held_on": "平成30年7月20日",
        "starts_at": "13:30",
        "venue": "平市民会館",
        "attendance": "18",
        "agenda": "支え合いの必要性について",
        "summary": "各団体から地域の様子を聞いた。",
        "needs_found": "買い物に困っている高齢者が多い。",
        "minutes_status": "draft",
        "base_version": "",
        "began_at": "",
    }
    data.update(fields)
    rows = list(opinions) + [{}] * extra_opinion_forms
    data["opinions-TOTAL_FORMS"] = str(len(rows))
    data["opinions-INITIAL_FORMS"] = str(initial_opinions)
    for index, row in enumerate(rows):
        row = {"kind": "opinion", "status": "open", "text": "", "response": "", **row}
        for key, value in row.items():
            data[f"opinions-{index}-{key}"] = value
    data["follow_ups-TOTAL_FORMS"] = str(len(follow_ups))
    data["follow_ups-INITIAL_FORMS"] = str(initial_follow_ups)
    for index, row in enumerate(follow_ups):
        for key, value in row.items():
            data[f"follow_ups-{index}-{key}"] = value
    return data
