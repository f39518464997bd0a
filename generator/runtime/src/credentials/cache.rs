//! Caching of temporary credentials: refreshed before they expire, one refresh at a time.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// How long before their expiry cached credentials are refreshed (the official libraries'
/// "stale time").
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(15 * 60);

/// After a failed refresh, how long the previous credentials are used (while they have not
/// expired) before the next refresh is tried: at most one failing fetch per this period,
/// however many calls are made (the official libraries wait at least 10 s as well).
pub const RETRY_AFTER_FAILED_REFRESH: Duration = Duration::from_secs(10);

#[derive(Default)]
struct State {
    current: Option<Credentials>,
    /// Counts finished refreshes, successful or not.
    refreshes: u64,
    /// The error of the last refresh, if it failed.
    last_error: Option<CredentialsError>,
    /// After a failed refresh: no new one before this time while `current` is unexpired.
    next_attempt: Option<SystemTime>,
}

/// The cache inside every provider of temporary credentials.
///
/// Credentials without an expiry are kept for good. Credentials that expire are kept until
/// [`REFRESH_BEFORE_EXPIRY`] before their expiry; the first call after that refreshes them
/// while the other calls wait for its outcome (one refresh however many wait). When the
/// refresh fails, the previous credentials are returned while they have not expired, and
/// the next refresh waits [`RETRY_AFTER_FAILED_REFRESH`]; once they have expired, the
/// refresh's error.
#[derive(Default)]
pub(crate) struct CredentialsCache {
    state: Mutex<State>,
    refresh: tokio::sync::Mutex<()>,
}

fn fresh(creds: &Credentials, now: SystemTime) -> bool {
    match creds.expiry() {
        Some(expiry) => now + REFRESH_BEFORE_EXPIRY < expiry,
        None => true,
    }
}

fn unexpired(creds: &Credentials, now: SystemTime) -> bool {
    match creds.expiry() {
        Some(expiry) => now < expiry,
        None => true,
    }
}

impl CredentialsCache {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere cannot leave `State` half-written: every update is one assignment.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The cached credentials, or those `fetch` gets when they are due for a refresh.
    pub(crate) async fn get<F, Fut>(
        &self,
        provider: &str,
        fetch: F,
    ) -> Result<Credentials, CredentialsError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials, CredentialsError>>,
    {
        let seen = {
            let state = self.lock();
            let now = SystemTime::now();
            if let Some(creds) = &state.current {
                let backing_off = state.next_attempt.is_some_and(|at| now < at);
                if fresh(creds, now) || (backing_off && unexpired(creds, now)) {
                    return Ok(creds.clone());
                }
            }
            state.refreshes
        };
        let _refreshing = self.refresh.lock().await;
        {
            // Another call refreshed while this one waited: share its outcome.
            let state = self.lock();
            if state.refreshes != seen {
                return Self::outcome(&state, SystemTime::now());
            }
        }
        let fetched = fetch().await;
        let now = SystemTime::now();
        let mut state = self.lock();
        state.refreshes += 1;
        match fetched {
            Ok(creds) if unexpired(&creds, now) => {
                state.current = Some(creds.clone());
                state.last_error = None;
                state.next_attempt = None;
                Ok(creds)
            }
            Ok(_) => {
                state.last_error = Some(CredentialsError::new(
                    provider,
                    "the credentials received have already expired",
                ));
                state.next_attempt = Some(now + RETRY_AFTER_FAILED_REFRESH);
                Self::outcome(&state, now)
            }
            Err(err) => {
                state.last_error = Some(err);
                state.next_attempt = Some(now + RETRY_AFTER_FAILED_REFRESH);
                Self::outcome(&state, now)
            }
        }
    }

    /// After a refresh: the newest credentials while they last, else the refresh's error.
    fn outcome(state: &State, now: SystemTime) -> Result<Credentials, CredentialsError> {
        match (&state.current, &state.last_error) {
            (Some(creds), _) if unexpired(creds, now) => Ok(creds.clone()),
            (_, Some(err)) => Err(err.clone()),
            // Credentials that expired while this call waited for the refresh.
            (_, None) => Err(CredentialsError::new(
                "cache",
                "the cached credentials have expired",
            )),
        }
    }
}

/// Caches the credentials of any provider: kept until 15 minutes before they expire (for
/// good when they have no expiry), then refreshed by one call while the others wait; when a
/// refresh fails, the previous credentials are used while they have not expired, and the
/// next refresh is tried 10 seconds later at the earliest.
///
/// The built-in providers of temporary credentials cache already; wrap your own provider.
///
/// ```
/// use acs_runtime::credentials::{CachingProvider, ProvideCredentials};
/// use acs_runtime::Credentials;
/// # async fn run() {
/// let cached = CachingProvider::new(Credentials::new("id", "secret"));
/// let creds = cached.provide_credentials().await.unwrap();
/// assert_eq!(creds.access_key_id(), "id");
/// # }
/// ```
pub struct CachingProvider<P> {
    inner: P,
    cache: Arc<CredentialsCache>,
}

impl<P: ProvideCredentials> CachingProvider<P> {
    /// Caches what `inner` provides.
    pub fn new(inner: P) -> Self {
        Self {
            inner,
            cache: Arc::default(),
        }
    }
}

impl<P: ProvideCredentials> ProvideCredentials for CachingProvider<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get("cache", || self.inner.provide_credentials()))
    }
}

impl<P: fmt::Debug> fmt::Debug for CachingProvider<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachingProvider")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}
