//! Path patterns: `*` matches within one segment, `**` across segments.
//!
//! Matching runs the pattern as a set of positions over the path, one byte at a
//! time (a Thompson NFA in a 128-bit set, moved by shifts and masks): time
//! linear in the path whatever the pattern, never the backtracking that made
//! `/products/*-*-*-*-sale` take seconds on a path of many dashes.

/// Most bytes of a pattern after its first `*` (one bit each in the set).
pub const MAX_WILD_PART: usize = 127;

/// A path pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    pattern: String,
    /// The literal part before the first `*`: most paths fail on it at once.
    prefix_len: usize,
    /// The rest, compiled for the general matcher.
    wild: Wild,
}

impl Glob {
    /// The pattern `pattern`.
    ///
    /// # Errors
    /// When its part from the first `*` on is longer than [`MAX_WILD_PART`].
    pub fn new(pattern: &str) -> Result<Glob, String> {
        let prefix_len = pattern.find('*').unwrap_or(pattern.len());
        let rest = &pattern.as_bytes()[prefix_len..];
        if rest.len() > MAX_WILD_PART {
            return Err(format!(
                "at most {MAX_WILD_PART} characters from the first * on"
            ));
        }
        Ok(Glob {
            pattern: pattern.to_owned(),
            prefix_len,
            wild: Wild::compile(rest),
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether `path` matches the pattern.
    pub fn matches(&self, path: &str) -> bool {
        let (path, pattern) = (path.as_bytes(), self.pattern.as_bytes());
        let prefix = &pattern[..self.prefix_len];
        if path.len() < prefix.len() || &path[..prefix.len()] != prefix {
            return false;
        }
        let tail = &path[prefix.len()..];
        // The usual endings without the general matcher: `**`, then `*`.
        match &pattern[self.prefix_len..] {
            b"**" => true,
            b"*" => !tail.contains(&b'/'),
            _ => self.wild.matches(tail),
        }
    }
}

/// A pattern as a set of positions (bit i: matched up to step i; bit `len`: all
/// of it), moved one byte at a time by shifts and masks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Wild {
    /// The steps that are `*` (any byte but `/`, as many as wanted).
    star: u128,
    /// The steps that are `**` (any byte, as many as wanted).
    stars: u128,
    /// For each byte the pattern names, the steps that are that byte.
    bytes: Vec<(u8, u128)>,
    /// The bit of the whole pattern matched.
    end: u128,
}

impl Wild {
    /// `pattern` (at most [`MAX_WILD_PART`] bytes) compiled: `**` is one step.
    fn compile(pattern: &[u8]) -> Wild {
        let mut wild = Wild::default();
        let (mut i, mut step) = (0, 0);
        while i < pattern.len() {
            let bit = 1u128 << step;
            match &pattern[i..] {
                [b'*', b'*', ..] => {
                    wild.stars |= bit;
                    i += 1;
                }
                [b'*', ..] => wild.star |= bit,
                [b, ..] => match wild.bytes.iter_mut().find(|(c, _)| c == b) {
                    Some((_, mask)) => *mask |= bit,
                    None => wild.bytes.push((*b, bit)),
                },
                [] => {}
            }
            i += 1;
            step += 1;
        }
        wild.end = 1 << step;
        wild
    }

    /// The set with every step a star may skip (matching nothing) added.
    fn closure(&self, mut set: u128) -> u128 {
        loop {
            let next = set | ((set & (self.star | self.stars)) << 1);
            if next == set {
                return set;
            }
            set = next;
        }
    }

    fn matches(&self, text: &[u8]) -> bool {
        let mut set = self.closure(1);
        for &c in text {
            let byte = self
                .bytes
                .iter()
                .find(|(b, _)| *b == c)
                .map_or(0, |(_, mask)| *mask);
            let star = if c == b'/' { 0 } else { self.star };
            set = self.closure(((set & byte) << 1) | (set & (star | self.stars)));
            if set == 0 {
                return false;
            }
        }
        set & self.end != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(pattern: &str) -> Glob {
        Glob::new(pattern).unwrap()
    }

    #[test]
    fn globs_match_within_and_across_segments() {
        let g = glob("/products/*");
        assert!(g.matches("/products/silk-tie"));
        assert!(!g.matches("/products/a/b"));
        assert!(!g.matches("/cart"));
        assert!(glob("/products/**").matches("/products/a/b"));
        assert!(glob("/**").matches("/"));
        assert!(glob("/forms/*/thanks").matches("/forms/contact/thanks"));
        assert!(!glob("/forms/*/thanks").matches("/forms/a/b/thanks"));
        assert!(glob("/forms/**/thanks").matches("/forms/a/b/thanks"));
        assert!(glob("/forms/**/thanks").matches("/forms//thanks"));
        assert!(glob("/*-sale").matches("/spring-sale"));
        assert!(glob("/*-sale").matches("/-sale"));
        assert!(!glob("/*-sale").matches("/spring-sales"));
        assert!(glob("/a*b*c").matches("/abc"));
        assert!(glob("/a*b*c").matches("/aXbYbZc"));
        assert!(!glob("/a*b*c").matches("/aXbY/c"));
        assert!(glob("/x/**/y/*").matches("/x/1/2/y/z"));
        assert!(!glob("/x/**/y/*").matches("/x/1/2/y/z/w"));
        assert!(
            glob("/x/***").matches("/x/a/b"),
            "three stars are ** then *"
        );
    }

    /// The same answers as the backtracking definition, on many small cases.
    #[test]
    fn it_agrees_with_the_obvious_matcher() {
        fn slow(pattern: &[u8], text: &[u8]) -> bool {
            match pattern {
                [] => text.is_empty(),
                [b'*', b'*', rest @ ..] => (0..=text.len()).any(|i| slow(rest, &text[i..])),
                [b'*', rest @ ..] => {
                    let segment = text.iter().position(|&c| c == b'/').unwrap_or(text.len());
                    (0..=segment).any(|i| slow(rest, &text[i..]))
                }
                [c, rest @ ..] => text.first() == Some(c) && slow(rest, &text[1..]),
            }
        }
        let alphabet = [b'a', b'/', b'*', b'-'];
        let words = |n: usize, with_star: bool| -> Vec<Vec<u8>> {
            let letters: Vec<u8> = alphabet
                .iter()
                .copied()
                .filter(|c| with_star || *c != b'*')
                .collect();
            let mut all = vec![Vec::new()];
            for _ in 0..n {
                let mut longer = Vec::new();
                for w in &all {
                    for c in &letters {
                        let mut v = w.clone();
                        v.push(*c);
                        longer.push(v);
                    }
                }
                all.extend(longer);
            }
            all.sort();
            all.dedup();
            all
        };
        for pattern in words(4, true) {
            for text in words(4, false) {
                assert_eq!(
                    Wild::compile(&pattern).matches(&text),
                    slow(&pattern, &text),
                    "{:?} on {:?}",
                    String::from_utf8_lossy(&pattern),
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }

    #[test]
    fn a_pathological_pattern_takes_well_under_a_millisecond() {
        let g = glob("/products/*-*-*-*-*-*-*-*-sale");
        let path = format!("/products/{}", "-".repeat(190));
        let started = std::time::Instant::now();
        for _ in 0..100 {
            assert!(!g.matches(&path));
        }
        let each = started.elapsed() / 100;
        assert!(
            each < std::time::Duration::from_millis(1),
            "{each:?} per match"
        );
        let long = glob("/**-**-**-**-**-**-x");
        let path = format!("/{}", "-/".repeat(500));
        let started = std::time::Instant::now();
        assert!(!long.matches(&path));
        assert!(started.elapsed() < std::time::Duration::from_millis(1));
    }

    #[test]
    fn a_pattern_too_long_to_match_in_one_set_is_refused() {
        assert!(
            Glob::new(&format!("/{}", "a".repeat(500))).is_ok(),
            "literal"
        );
        assert!(Glob::new(&format!("/*{}", "a".repeat(126))).is_ok());
        assert!(Glob::new(&format!("/*{}", "a".repeat(127))).is_err());
    }
}
