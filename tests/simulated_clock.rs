//! A pass with a simulated clock (`--now`) records the real time of sending: an outbox never
//! claims a notice went out at a moment that has not come yet. The simulated moment the notice
//! was handled at is kept with it as its due time.

mod support;

use chrono::{DateTime, FixedOffset, Utc};
use support::Project;

fn outbox_lines(project: &Project) -> Vec<serde_json::Value> {
    let mut lines = Vec::new();
    for entry in std::fs::read_dir(project.file("state/outbox")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            lines.push(serde_json::from_str(line).unwrap());
        }
    }
    lines
}

fn time(value: &serde_json::Value, field: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(value[field].as_str().unwrap_or_default())
        .unwrap_or_else(|err| panic!("{field} of {value}: {err}"))
}

#[test]
fn a_pass_ahead_of_the_real_clock_records_notices_sent_now_and_due_then() {
    let project = Project::fixture("kreis");
    let before = Utc::now();
    let out = project.run(&["--now", "2031-01-06T09:00:00+01:00", "run"]);
    let after = Utc::now();
    assert_eq!(out.code, 0, "{}", out.all());
    let lines = outbox_lines(&project);
    let sent: Vec<_> = lines
        .iter()
        .filter(|l| l["event"] == "notice_sent")
        .collect();
    assert!(sent.len() >= 4, "{lines:?}");
    for line in &lines {
        let at = time(line, "time").with_timezone(&Utc);
        assert!(
            at >= before - chrono::Duration::seconds(1) && at <= after,
            "recorded at the real time of the pass, not the simulated one: {line}"
        );
    }
    let simulated = DateTime::parse_from_rfc3339("2031-01-06T09:00:00+01:00").unwrap();
    for line in sent {
        assert_eq!(
            time(line, "due"),
            simulated,
            "the simulated time is kept as the due time: {line}"
        );
    }
}

#[test]
fn a_notice_sent_under_a_simulated_clock_is_not_sent_again_by_the_real_one() {
    let project = Project::fixture("kreis");
    let first = project.run(&["--now", "2019-05-06T09:00:00+02:00", "run"]);
    assert_eq!(first.code, 0, "{}", first.all());
    let sent_before = outbox_lines(&project)
        .iter()
        .filter(|l| l["event"] == "notice_sent")
        .count();
    let again = project.run(&["--now", "2019-05-06T10:00:00+02:00", "run"]);
    assert_eq!(again.code, 0, "{}", again.all());
    let sent_after = outbox_lines(&project)
        .iter()
        .filter(|l| l["event"] == "notice_sent")
        .count();
    assert_eq!(sent_before, sent_after, "nothing is sent twice");
}
