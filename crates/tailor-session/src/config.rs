//! [`SessionConfig`]: the cookie and lifetime settings of the session layer.

use std::time::Duration;

use crate::TOUCH_INTERVAL;

/// Cookie and lifetime settings of the session layer.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    /// The cookie's name, without the `__Host-` prefix.
    pub cookie_name: String,
    /// Idle lifetime; also the cookie's `Max-Age`.
    pub idle_timeout: Duration,
    /// Send the cookie only over HTTPS, under the `__Host-` prefix.
    pub cookie_secure: bool,
    /// How often expired sessions are swept.
    pub sweep_interval: Duration,
    /// Keys that sealed cookies before the current `secret_key`.
    pub previous_keys: Vec<cookie::Key>,
}

impl Default for SessionConfig {
    /// A cookie named `session`, sent over plain HTTP too (set `cookie_secure`
    /// behind HTTPS), 30 minutes idle, swept every minute.
    fn default() -> Self {
        SessionConfig {
            cookie_name: "session".into(),
            idle_timeout: Duration::from_secs(30 * 60),
            cookie_secure: false,
            sweep_interval: Duration::from_secs(60),
            previous_keys: Vec::new(),
        }
    }
}

impl SessionConfig {
    /// How often an active session's `last_seen` and cookie are refreshed.
    pub fn touch_interval(&self) -> Duration {
        TOUCH_INTERVAL.min(self.idle_timeout / 10)
    }

    /// The cookie's name as sent, with `__Host-` when the cookie is secure.
    pub fn cookie_name(&self) -> String {
        if self.cookie_secure {
            format!("__Host-{}", self.cookie_name)
        } else {
            self.cookie_name.clone()
        }
    }
}
