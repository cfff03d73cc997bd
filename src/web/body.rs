//! [`ApiJson`]: the typed JSON body of a state-changing API request.

use rocket::data::{Data, FromData, Outcome as DataOutcome, ToByteUnit};
use rocket::http::Status;
use rocket::request::Request;

use super::api::{fail, foreign_origin, same_origin, ApiError, DEFAULT_JSON_LIMIT};

/// A JSON body of a state-changing API request, checked for origin (403), content
/// type (415), size (413) and syntax (400), then read into `T` by its derived
/// `Deserialize`: a wrong shape or type (a missing or unknown field, a string
/// where a number goes) is 422 `invalid_value` naming the field. Checking values
/// (a known theme, a quantity in range) is the handler's, with typed errors.
pub struct ApiJson<T>(pub T);

#[rocket::async_trait]
impl<'r, T: serde::de::DeserializeOwned> FromData<'r> for ApiJson<T> {
    type Error = ApiError;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> DataOutcome<'r, Self> {
        if !same_origin(request) {
            return DataOutcome::Error(fail(request, foreign_origin()));
        }
        if !request.content_type().is_some_and(|ct| ct.is_json()) {
            let e = ApiError::from_status(Status::UnsupportedMediaType);
            return DataOutcome::Error(fail(request, e));
        }
        let limit = request
            .limits()
            .get("json")
            .unwrap_or(DEFAULT_JSON_LIMIT.bytes());
        let bytes = match data.open(limit).into_bytes().await {
            Ok(bytes) if bytes.is_complete() => bytes.into_inner(),
            Ok(_) => {
                let e = ApiError::new(
                    Status::PayloadTooLarge,
                    "payload_too_large",
                    format!("The request body is larger than {limit}."),
                );
                return DataOutcome::Error(fail(request, e));
            }
            Err(_) => {
                let e = ApiError::new(
                    Status::BadRequest,
                    "bad_request",
                    "The body could not be read.",
                );
                return DataOutcome::Error(fail(request, e));
            }
        };
        match read_body(&bytes) {
            Ok(body) => DataOutcome::Success(ApiJson(body)),
            Err(e) => DataOutcome::Error(fail(request, e)),
        }
    }
}

/// Reads a JSON object into `T`: 400 `malformed_json` for a syntax error, else 422
/// `invalid_value` naming the field (the key at fault, or `body` for the whole).
fn read_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Syntax first, so a broken body is a 400 whatever `T` is.
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        return Err(ApiError::new(
            Status::BadRequest,
            "malformed_json",
            format!("The body is not valid JSON: {e}."),
        ));
    }
    // Every body is an object (serde would read a struct from an array too).
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::new(
            Status::UnprocessableEntity,
            "invalid_value",
            "`body`: the body must be a JSON object.",
        )
        .field("body"));
    }
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let message = e.inner().to_string();
        let field = field_at_fault(e.path(), &message);
        // serde quotes what was sent: keep the message short.
        let message: String = message
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect();
        ApiError::new(
            Status::UnprocessableEntity,
            "invalid_value",
            format!("`{field}`: {message}."),
        )
        .field(field)
    })
}

/// The field an error is about: the innermost key of its path, else the field a
/// serde message names (`unknown field `x``, `missing field `x``), else `body`.
fn field_at_fault(path: &serde_path_to_error::Path, message: &str) -> String {
    use serde_path_to_error::Segment;
    let named = ["unknown field `", "missing field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix)?.split('`').next());
    let key = path.iter().rev().find_map(|segment| match segment {
        Segment::Map { key } => Some(key.as_str()),
        _ => None,
    });
    let field = named.or(key).unwrap_or("body");
    field.chars().take(64).collect()
}
