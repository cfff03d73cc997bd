use super::*;

fn policy(version: &str, opt_in: bool) -> ConsentPolicy {
    ConsentPolicy {
        version: version.into(),
        date: None,
        opt_in,
        cookieless_counts: false,
    }
}

fn chose(tracking: Option<bool>, version: Option<&str>) -> Preferences {
    Preferences {
        tracking,
        consent: version.map(|v| ConsentMark {
            id: "abc".into(),
            version: Some(v.into()),
        }),
        ..Preferences::default()
    }
}

#[test]
fn a_choice_under_the_policy_in_force_counts() {
    let now = policy("2", true);
    assert!(chose(Some(true), Some("2")).tracking_on(&now));
    assert!(!chose(Some(false), Some("2")).tracking_on(&now));
    assert!(!chose(Some(true), Some("2")).asked_again(&now));
}

#[test]
fn a_new_policy_suspends_a_grant_and_keeps_a_refusal() {
    for opt_in in [true, false] {
        let now = policy("2", opt_in);
        let granted = chose(Some(true), Some("1"));
        assert!(granted.asked_again(&now), "opt_in={opt_in}");
        assert_eq!(granted.tracking_on(&now), !opt_in, "the mode decides");
        let refused = chose(Some(false), Some("1"));
        assert!(refused.asked_again(&now));
        assert!(!refused.tracking_on(&now), "a refusal always stands");
    }
}

#[test]
fn a_choice_made_before_versions_were_kept_is_under_the_first() {
    let legacy = chose(Some(true), None);
    assert!(!legacy.asked_again(&policy(FIRST_VERSION, true)));
    assert!(legacy.asked_again(&policy("2", true)));
}

#[test]
fn only_opt_in_asks_a_visitor_who_never_chose() {
    let never = Preferences::default();
    assert!(never.asked_again(&policy("1", true)));
    assert!(!never.asked_again(&policy("1", false)));
    assert!(never.tracking_on(&policy("1", false)));
    assert!(!never.tracking_on(&policy("1", true)));
}

#[test]
fn the_ledger_names_each_choice() {
    let now = policy("1", true);
    let never = Preferences::default();
    assert_eq!(never.choice_event(true, &now), Some(Choice::Granted));
    assert_eq!(never.choice_event(false, &now), Some(Choice::Refused));
    let granted = chose(Some(true), Some("1"));
    assert_eq!(
        granted.choice_event(true, &now),
        None,
        "the same choice again"
    );
    assert_eq!(granted.choice_event(false, &now), Some(Choice::Withdrawn));
    let refused = chose(Some(false), Some("1"));
    assert_eq!(refused.choice_event(false, &now), None);
    // Under a new policy the same choice is news: it is made again, knowingly.
    assert_eq!(
        granted.choice_event(true, &policy("2", true)),
        Some(Choice::Granted)
    );
}

#[test]
fn consent_ids_are_random_and_url_safe() {
    let a = new_consent_id();
    assert_eq!(a.len(), 22);
    assert_ne!(a, new_consent_id());
    assert!(a
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
}
