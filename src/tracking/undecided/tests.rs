use super::*;

/// A synthetic day's log: `visitors` distinct (address, browser) pairs, each
/// viewing 1 to 7 pages, some from the same /24 with other browsers.
fn log(visitors: u32) -> Vec<(IpAddr, String)> {
    let mut lines = Vec::new();
    for v in 0..visitors {
        let ip = IpAddr::from([10, (v >> 16) as u8, (v >> 8) as u8, (v & 0xff) as u8]);
        let agent = format!("Mozilla/5.0 (X11; Linux x86_64) Browser/{}", v % 251);
        for _ in 0..(1 + v % 7) {
            lines.push((ip, agent.clone()));
        }
    }
    lines
}

#[test]
fn a_synthetic_log_counts_within_five_percent_of_its_true_uniques() {
    let salt = rand::random();
    for visitors in [500u32, 20_000, 200_000] {
        let lines = log(visitors);
        let truth: HashSet<(IpAddr, &str)> = lines
            .iter()
            .map(|(ip, agent)| (truncated(*ip), agent.as_str()))
            .collect();
        let mut hll = Hll::default();
        for (ip, agent) in &lines {
            hll.add(visitor_hash(salt, *ip, agent, "shop.example"));
        }
        let truth = truth.len() as f64;
        let error = (hll.estimate() as f64 - truth).abs() / truth;
        assert!(
            error < 0.05,
            "{visitors} visitors, {truth} true uniques: estimated {} ({:.2} %)",
            hll.estimate(),
            error * 100.0
        );
    }
}

#[test]
fn addresses_are_cut_to_the_network() {
    assert_eq!(
        truncated("203.0.113.77".parse().unwrap()),
        "203.0.113.0".parse::<IpAddr>().unwrap()
    );
    assert_eq!(
        truncated("2001:db8:1234:5678::1".parse().unwrap()),
        "2001:db8:1234::".parse::<IpAddr>().unwrap()
    );
    let salt = (1, 2);
    let a = visitor_hash(salt, "203.0.113.77".parse().unwrap(), "UA", "h");
    let b = visitor_hash(salt, "203.0.113.9".parse().unwrap(), "UA", "h");
    assert_eq!(a, b, "one household, one browser: one visitor");
    assert_ne!(
        a,
        visitor_hash((3, 4), "203.0.113.77".parse().unwrap(), "UA", "h")
    );
    assert_ne!(
        a,
        visitor_hash(salt, "203.0.113.77".parse().unwrap(), "UAh", "")
    );
}
