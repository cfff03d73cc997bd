//! Loading a request's session once: the cookie opened, the record and its
//! version read, the rolling expiry slid at most once a touch interval.

use std::sync::Mutex;

use chrono::Utc;
use rocket::Request;

use crate::guard::{Current, Loaded};
use crate::{Seen, SessionLayer, SessionRecord};

pub(crate) async fn load<R: SessionRecord>(
    request: &Request<'_>,
    layer: &SessionLayer<R>,
) -> Loaded<R> {
    let empty = Loaded::empty;
    let Some((id, reseal)) = layer.open_cookie(request.cookies()) else {
        return empty(false);
    };
    let seen = match layer.store.load_seen(&id).await {
        Ok(Some(seen)) => seen,
        Ok(None) => return empty(false),
        Err(e) => {
            layer.failed(e);
            return empty(true);
        }
    };
    let now = Utc::now();
    let last_seen = seen.record.last_seen();
    let stale = (now - last_seen).to_std().unwrap_or_default() >= layer.config.touch_interval();
    let seen = if reseal || stale {
        // Rolling expiry: record the visit and refresh the cookie's Max-Age.
        let kept = Seen {
            record: seen.record.clone(),
            version: seen.version,
        };
        match layer
            .store
            .update_seen(&id, seen, &mut |r: &mut R| r.touch(now))
            .await
        {
            Ok(Some(fresh)) => {
                layer.set_cookie(request.cookies(), &id);
                fresh
            }
            // Destroyed since it was loaded: a new visitor.
            Ok(None) => return empty(false),
            Err(e) => {
                layer.failed(e);
                kept
            }
        }
    } else {
        seen
    };
    Loaded {
        current: Mutex::new(Current::stored(id, seen)),
        failed: false,
    }
}
