//! The evaluation context of an OFREP request: what tailor reads of it, checked.
//! Unknown keys are attributes, for the `attribute` condition of this one
//! evaluation, never stored.

use serde_json::{Map, Value};

use crate::i18n::Language;
use crate::web::Landing;

/// Most attributes a context may carry.
pub const MAX_ATTRIBUTES: usize = 64;
/// Most bytes of a context, as JSON.
pub const MAX_CONTEXT_BYTES: usize = 8 * 1024;

/// The operator's record of the visitor's consent (server mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consent {
    Granted,
    Refused,
}

/// What tailor reads of a context.
#[derive(Clone, Debug, Default)]
pub struct EvalContext {
    /// The operator's id for the visitor (server mode).
    pub targeting_key: Option<String>,
    /// The visitor's language, as asked (an `Accept-Language`-like list).
    pub language: Option<Language>,
    /// The visitor sent Global Privacy Control.
    pub gpc: bool,
    pub consent: Option<Consent>,
    /// The visitor's User-Agent (server mode: for the bot check).
    pub user_agent: Option<String>,
    /// The operator's page the visitor is on, and its referrer.
    pub landing: Option<Landing>,
    /// A single evaluation shows what it answers (counts the exposure).
    pub expose: bool,
    /// May make an assignment (else only reports an existing one).
    pub enroll: bool,
    /// The rest of the context.
    pub attributes: Map<String, Value>,
}

/// Why a context is refused: `INVALID_CONTEXT`, with details.
#[derive(Debug, PartialEq, Eq)]
pub struct Invalid(pub String);

fn text<'v>(context: &'v Map<String, Value>, name: &str) -> Result<Option<&'v str>, Invalid> {
    match context.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Invalid(format!("{name} must be a string"))),
    }
}

fn flag(context: &Map<String, Value>, name: &str, default: bool) -> Result<bool, Invalid> {
    match context.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(Invalid(format!("{name} must be true or false"))),
    }
}

/// The operator's page at `url` (an absolute http(s) URL in normal form).
fn landing(url: &str, referrer: Option<&str>) -> Result<Landing, Invalid> {
    let bad = || Invalid(format!("url {url:?} is not an http(s) URL of a page"));
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let (host, path_query) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path_query = if path_query.is_empty() {
        "/"
    } else {
        path_query
    };
    let path_query = path_query.split('#').next().unwrap_or("/");
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'));
    if !host_ok || url.len() > 2048 || !crate::web::is_normal_path(path) {
        return Err(bad());
    }
    let decode = |s: &str| rocket::http::RawStr::new(s).url_decode_lossy().into_owned();
    let query = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .take(64)
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect();
    Ok(Landing {
        host: host.to_ascii_lowercase(),
        path: path.to_owned(),
        query,
        referrer: referrer.map(str::to_owned),
    })
}

/// Reads `body` (`{"context": {...}}`).
///
/// # Errors
/// [`Invalid`] for a body or context of the wrong shape, or over the limits.
pub fn parse(body: &[u8]) -> Result<EvalContext, Invalid> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| Invalid(format!("the body is not JSON: {e}")))?;
    let Value::Object(mut outer) = value else {
        return Err(Invalid(
            "the body must be an object: {\"context\": {...}}".into(),
        ));
    };
    let context = match outer.remove("context") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map,
        Some(_) => return Err(Invalid("context must be an object".into())),
    };
    if serde_json::to_vec(&context).map_or(usize::MAX, |v| v.len()) > MAX_CONTEXT_BYTES {
        return Err(Invalid(format!(
            "the context is over {MAX_CONTEXT_BYTES} bytes"
        )));
    }
    let targeting_key = text(&context, "targetingKey")?.map(str::to_owned);
    if targeting_key
        .as_ref()
        .is_some_and(|k| k.is_empty() || k.chars().count() > 256)
    {
        return Err(Invalid("targetingKey must be 1 to 256 characters".into()));
    }
    let language = text(&context, "language")?.and_then(crate::i18n::negotiate);
    let consent = match text(&context, "consent")? {
        None => None,
        Some("granted") => Some(Consent::Granted),
        Some("refused") => Some(Consent::Refused),
        Some(other) => return Err(Invalid(format!("consent {other:?}: granted or refused"))),
    };
    let landing = match text(&context, "url")? {
        Some(url) => Some(landing(url, text(&context, "referrer")?)?),
        None => None,
    };
    let known = [
        "targetingKey",
        "language",
        "gpc",
        "consent",
        "userAgent",
        "url",
        "referrer",
        "expose",
        "enroll",
    ];
    let attributes: Map<String, Value> = context
        .iter()
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if attributes.len() > MAX_ATTRIBUTES {
        return Err(Invalid(format!("more than {MAX_ATTRIBUTES} attributes")));
    }
    Ok(EvalContext {
        targeting_key,
        language,
        gpc: flag(&context, "gpc", false)?,
        consent,
        user_agent: text(&context, "userAgent")?.map(|ua| ua.chars().take(512).collect()),
        landing,
        expose: flag(&context, "expose", true)?,
        enroll: flag(&context, "enroll", true)?,
        attributes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_context_reads_whole_and_keeps_the_rest_as_attributes() {
        let ctx = parse(
            br#"{"context": {"targetingKey": "u-1", "language": "es-ES,es;q=0.9", "gpc": true,
                 "url": "https://www.example.com/shoes?utm_source=news", "expose": false,
                 "plan": "pro", "seats": 12}}"#,
        )
        .unwrap();
        assert_eq!(ctx.targeting_key.as_deref(), Some("u-1"));
        assert_eq!(ctx.language, Some(Language::Es));
        assert!(ctx.gpc && !ctx.expose && ctx.enroll);
        let landing = ctx.landing.unwrap();
        assert_eq!(
            (landing.host.as_str(), landing.path.as_str()),
            ("www.example.com", "/shoes")
        );
        assert_eq!(
            landing.query,
            [("utm_source".to_owned(), "news".to_owned())]
        );
        assert_eq!(ctx.attributes.len(), 2);
    }

    #[test]
    fn bad_contexts_are_refused_naming_what() {
        for (body, says) in [
            (&b"not json"[..], "not JSON"),
            (b"[]", "object"),
            (br#"{"context": 3}"#, "context must be an object"),
            (br#"{"context": {"targetingKey": 42}}"#, "targetingKey"),
            (br#"{"context": {"targetingKey": ""}}"#, "targetingKey"),
            (br#"{"context": {"expose": "yes"}}"#, "expose"),
            (br#"{"context": {"consent": "maybe"}}"#, "consent"),
            (br#"{"context": {"url": "javascript:alert(1)"}}"#, "url"),
            (
                br#"{"context": {"url": "https://x.example/a/../b"}}"#,
                "url",
            ),
        ] {
            let Invalid(details) = parse(body).unwrap_err();
            assert!(
                details.contains(says),
                "{}: {details}",
                String::from_utf8_lossy(body)
            );
        }
        let many: String = (0..65).map(|i| format!("\"a{i}\": 1,")).collect();
        let body = format!("{{\"context\": {{{many} \"b\": 2}}}}");
        assert!(parse(body.as_bytes()).unwrap_err().0.contains("attributes"));
        let big = format!("{{\"context\": {{\"a\": \"{}\"}}}}", "x".repeat(9000));
        assert!(parse(big.as_bytes()).unwrap_err().0.contains("bytes"));
        assert!(parse(b"{}").is_ok(), "an empty body's context is empty");
    }
}
