//! Request signing for Alibaba Cloud RPC APIs.
//!
//! Two signature generations exist:
//!
//! * **V3** (`ACS3-HMAC-SHA256`, the default): action and version travel in `x-acs-*` headers,
//!   the signature in the `Authorization` header. See [`sign_v3`].
//! * **V1** (`HMAC-SHA1`, `SignatureVersion=1.0`): every field, the signature included, travels
//!   in the query string. See [`sign_v1`].
//!
//! The functions here are pure: the date and nonce are inputs, so they can be checked against
//! published test vectors. [`ServiceClient`](crate::ServiceClient) signs every request through
//! the same functions, with a fresh date ([`timestamp_now`]) and nonce ([`new_nonce`]) per
//! attempt.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Name of the V3 signature algorithm, the first word of the `Authorization` header.
pub const V3_ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Lowercase hex SHA-256 of the empty string: the `x-acs-content-sha256` of a request without
/// a body.
pub const EMPTY_BODY_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Value of the V1 `SignatureMethod` parameter.
pub const V1_SIGNATURE_METHOD: &str = "HMAC-SHA1";

/// Value of the V1 `SignatureVersion` parameter.
pub const V1_SIGNATURE_VERSION: &str = "1.0";

/// Bytes kept literal by [`percent_encode`]: `A-Z a-z 0-9 - _ . ~` (RFC 3986 unreserved).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes `value` the way both signature versions require.
///
/// The UTF-8 bytes are encoded; only `A-Z a-z 0-9 - _ . ~` stay literal, every other byte
/// becomes `%XX` with uppercase hex. A space becomes `%20` (never `+`), `*` becomes `%2A`,
/// and already-encoded text is encoded again (`%2F` becomes `%252F`).
///
/// ```
/// use acs_runtime::signing::percent_encode;
/// assert_eq!(percent_encode("a b*c~/张"), "a%20b%2Ac~%2F%E5%BC%A0");
/// ```
pub fn percent_encode(value: &str) -> String {
    utf8_percent_encode(value, UNRESERVED).to_string()
}

/// Builds the canonical query string shared by both signature versions.
///
/// Pairs are sorted by name (byte order, so `Name.10` sorts before `Name.2`; pairs with the
/// same name keep their relative order), names and values are [percent-encoded](percent_encode),
/// each pair is written `name=value` (`name=` for an empty value) and the pairs are joined with
/// `&`. No pairs give the empty string.
///
/// This is the V3 *CanonicalQueryString* and the V1 *CanonicalizedQueryString*. The client also
/// sends exactly this string as the V3 request's query, so the wire query equals the signed one.
///
/// ```
/// use acs_runtime::signing::canonical_query;
/// let q = canonical_query([("Name", "a b"), ("MessageTypes.2", "x"), ("MessageTypes.10", "")]);
/// assert_eq!(q, "MessageTypes.10=&MessageTypes.2=x&Name=a%20b");
/// ```
pub fn canonical_query<'a, I>(pairs: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut sorted: Vec<(&str, &str)> = pairs.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = String::with_capacity(sorted.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (name, value)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.extend(utf8_percent_encode(name, UNRESERVED));
        out.push('=');
        out.extend(utf8_percent_encode(value, UNRESERVED));
    }
    out
}

/// Encodes `pairs` as a query string in the order given (no sorting), with the same encoding as
/// [`canonical_query`]. Used for the V1 wire query, which keeps the documented parameter order.
pub fn encode_query<'a, I>(pairs: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut out = String::new();
    for (i, (name, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.extend(utf8_percent_encode(name, UNRESERVED));
        out.push('=');
        out.extend(utf8_percent_encode(value, UNRESERVED));
    }
    out
}

/// Lowercase hex SHA-256 of `data` (the V3 *HashedRequestPayload* and `x-acs-content-sha256`).
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The current UTC time formatted as `yyyy-MM-ddTHH:mm:ssZ`, the format of `x-acs-date` (V3)
/// and `Timestamp` (V1).
pub fn timestamp_now() -> String {
    timestamp(time::OffsetDateTime::now_utc())
}

/// `time` in UTC formatted as `yyyy-MM-ddTHH:mm:ssZ`.
///
/// ```
/// let t = time::OffsetDateTime::from_unix_timestamp(1_719_187_200).unwrap();
/// assert_eq!(acs_runtime::signing::timestamp(t), "2024-06-24T00:00:00Z");
/// ```
pub fn timestamp(time: time::OffsetDateTime) -> String {
    let time = time.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        time.year(),
        u8::from(time.month()),
        time.day(),
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// The current UTC time as an HTTP date, `Mon, 24 Jun 2024 00:00:00 GMT`: the `date` header of
/// ROA V1 requests.
pub fn http_date_now() -> String {
    http_date(time::OffsetDateTime::now_utc())
}

/// `time` as an HTTP date (RFC 7231 IMF-fixdate).
///
/// ```
/// let t = time::OffsetDateTime::from_unix_timestamp(1_719_187_200).unwrap();
/// assert_eq!(acs_runtime::signing::http_date(t), "Mon, 24 Jun 2024 00:00:00 GMT");
/// ```
pub fn http_date(time: time::OffsetDateTime) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let time = time.to_offset(time::UtcOffset::UTC);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[usize::from(time.weekday().number_days_from_monday())],
        time.day(),
        MONTHS[usize::from(u8::from(time.month())) - 1],
        time.year(),
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// A fresh signature nonce: 16 random bytes as 32 lowercase hex characters.
pub fn new_nonce() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// Which request headers a V3 signature covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeaderSelection {
    /// `host`, `content-type` and every `x-acs-*` header: the documented rule, also used by the
    /// official Go, Java and TypeScript libraries. This is what the client signs.
    #[default]
    Standard,
    /// Every header given, as the official Python library does.
    All,
}

impl HeaderSelection {
    fn includes(self, lowercase_name: &str) -> bool {
        match self {
            HeaderSelection::All => true,
            HeaderSelection::Standard => {
                lowercase_name == "host"
                    || lowercase_name == "content-type"
                    || lowercase_name.starts_with("x-acs-")
            }
        }
    }
}

/// Everything a V3 signature depends on.
///
/// The headers must already hold `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`
/// and the other `x-acs-*` values to sign; header names may use any case.
#[derive(Debug, Clone, Copy)]
pub struct V3Input<'a> {
    /// HTTP method, e.g. `POST` (uppercased for signing).
    pub method: &'a str,
    /// Request path; `/` for RPC APIs.
    pub path: &'a str,
    /// Query parameters as `(name, raw value)` pairs, not yet percent-encoded, in any order.
    pub query: &'a [(String, String)],
    /// Request headers as `(name, value)` pairs, without `Authorization`.
    pub headers: &'a [(String, String)],
    /// The exact body bytes (empty for no body).
    pub body: &'a [u8],
    /// AccessKey ID, written into the `Credential=` field.
    pub access_key_id: &'a str,
    /// AccessKey secret, the HMAC key.
    pub access_key_secret: &'a str,
    /// Which headers to sign.
    pub header_selection: HeaderSelection,
}

/// The intermediate strings and the result of a V3 signature.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct V3Signature {
    /// The canonical query string (also the wire query of a V3 request).
    pub canonical_query: String,
    /// The canonical request whose SHA-256 is signed.
    pub canonical_request: String,
    /// `ACS3-HMAC-SHA256\n<hex sha256 of the canonical request>`.
    pub string_to_sign: String,
    /// Lowercase hex HMAC-SHA256 of the string to sign, keyed with the AccessKey secret.
    pub signature: String,
    /// Lowercase signed header names joined with `;`.
    pub signed_headers: String,
    /// The complete `Authorization` header value.
    pub authorization: String,
}

/// Builds the V3 canonical request; returns `(canonical_query, canonical_request, signed_headers)`.
fn canonical_request_parts(input: &V3Input<'_>) -> (String, String, String) {
    let query = canonical_query(input.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));

    let mut headers: Vec<(String, &str)> = input
        .headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim()))
        .filter(|(name, _)| input.header_selection.includes(name))
        .collect();
    headers.sort();

    let mut canonical_headers = String::new();
    let mut signed_headers = String::new();
    let mut i = 0;
    while i < headers.len() {
        let name = headers[i].0.as_str();
        if !signed_headers.is_empty() {
            signed_headers.push(';');
        }
        signed_headers.push_str(name);
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        let mut first = true;
        while i < headers.len() && headers[i].0 == name {
            if !first {
                canonical_headers.push(',');
            }
            canonical_headers.push_str(headers[i].1);
            first = false;
            i += 1;
        }
        canonical_headers.push('\n');
    }

    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        input.method.to_ascii_uppercase(),
        input.path,
        query,
        canonical_headers,
        signed_headers,
        sha256_hex(input.body)
    );
    (query, canonical_request, signed_headers)
}

/// Builds the V3 canonical request (steps 1–6 of the V3 algorithm).
pub fn canonical_request_v3(input: &V3Input<'_>) -> String {
    canonical_request_parts(input).1
}

/// Signs a request with `ACS3-HMAC-SHA256`.
///
/// ```
/// use acs_runtime::signing::{sign_v3, HeaderSelection, V3Input};
/// let headers = vec![
///     ("host".to_string(), "example.aliyuncs.com".to_string()),
///     ("x-acs-action".to_string(), "CancelHandshake".to_string()),
/// ];
/// let query = vec![("HandshakeId".to_string(), "h-1".to_string())];
/// let sig = sign_v3(&V3Input {
///     method: "POST",
///     path: "/",
///     query: &query,
///     headers: &headers,
///     body: b"",
///     access_key_id: "id",
///     access_key_secret: "secret",
///     header_selection: HeaderSelection::Standard,
/// });
/// assert_eq!(sig.signed_headers, "host;x-acs-action");
/// assert!(sig.authorization.starts_with("ACS3-HMAC-SHA256 Credential=id,SignedHeaders="));
/// ```
pub fn sign_v3(input: &V3Input<'_>) -> V3Signature {
    let (canonical_query, canonical_request, signed_headers) = canonical_request_parts(input);
    let string_to_sign = format!(
        "{V3_ALGORITHM}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let signature = hex::encode(hmac_sha256(
        input.access_key_secret.as_bytes(),
        string_to_sign.as_bytes(),
    ));
    let authorization = format!(
        "{V3_ALGORITHM} Credential={},SignedHeaders={},Signature={}",
        input.access_key_id, signed_headers, signature
    );
    V3Signature {
        canonical_query,
        canonical_request,
        string_to_sign,
        signature,
        signed_headers,
        authorization,
    }
}

/// The intermediate strings and the result of a V1 signature.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct V1Signature {
    /// Sorted, encoded `name=value` pairs joined with `&`.
    pub canonicalized_query: String,
    /// `METHOD&%2F&<encoded canonicalized query>`.
    pub string_to_sign: String,
    /// Base64 (standard alphabet, padded) HMAC-SHA1 of the string to sign, keyed with the
    /// secret followed by `&`. Percent-encode it before putting it in a URL.
    pub signature: String,
}

/// Signs a request with `HMAC-SHA1` (`SignatureVersion=1.0`).
///
/// `params` are all signed parameters, common and operation ones, as `(name, raw value)` pairs;
/// a `Signature` pair, if present, is left out.
///
/// ```
/// use acs_runtime::signing::sign_v1;
/// let params = vec![("Action".to_string(), "DescribeRegions".to_string())];
/// let sig = sign_v1("GET", &params, "testsecret");
/// assert_eq!(sig.string_to_sign, "GET&%2F&Action%3DDescribeRegions");
/// ```
pub fn sign_v1(method: &str, params: &[(String, String)], access_key_secret: &str) -> V1Signature {
    let canonicalized_query = canonical_query(
        params
            .iter()
            .filter(|(k, _)| k != "Signature")
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    let string_to_sign = format!(
        "{}&%2F&{}",
        method.to_ascii_uppercase(),
        percent_encode(&canonicalized_query)
    );
    let mut key = String::with_capacity(access_key_secret.len() + 1);
    key.push_str(access_key_secret);
    key.push('&');
    let signature = base64::engine::general_purpose::STANDARD
        .encode(hmac_sha1(key.as_bytes(), string_to_sign.as_bytes()));
    V1Signature {
        canonicalized_query,
        string_to_sign,
        signature,
    }
}

/// Signs an ROA request with `HMAC-SHA1` (the V1 signature of REST-style operations), giving
/// the `Authorization` header value `acs <AccessKeyId>:<signature>`.
///
/// The string to sign is the method, the `accept`, `content-md5`, `content-type` and `date`
/// headers (empty when absent), every `x-acs-*` header as `name:value` sorted by name, and the
/// resource: the path as sent, then `?` and the decoded query pairs sorted by name
/// (`name=value`, or `name` alone for an empty value) joined with `&`.
///
/// ```
/// use acs_runtime::signing::sign_roa_v1;
/// let headers = vec![
///     ("accept".to_string(), "application/json".to_string()),
///     ("date".to_string(), "Mon, 24 Jun 2024 00:00:00 GMT".to_string()),
///     ("x-acs-version".to_string(), "2015-12-15".to_string()),
/// ];
/// let query = vec![("b".to_string(), "2".to_string()), ("a".to_string(), String::new())];
/// let (string_to_sign, authorization) =
///     sign_roa_v1("GET", "/clusters", &query, &headers, "id", "secret");
/// assert_eq!(
///     string_to_sign,
///     "GET\napplication/json\n\n\nMon, 24 Jun 2024 00:00:00 GMT\nx-acs-version:2015-12-15\n/clusters?a&b=2"
/// );
/// assert!(authorization.starts_with("acs id:"));
/// ```
pub fn sign_roa_v1(
    method: &str,
    path: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    access_key_id: &str,
    access_key_secret: &str,
) -> (String, String) {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map_or("", |(_, v)| v.as_str())
    };
    let mut string_to_sign = method.to_ascii_uppercase();
    for name in ["accept", "content-md5", "content-type", "date"] {
        string_to_sign.push('\n');
        string_to_sign.push_str(header(name));
    }
    string_to_sign.push('\n');
    let mut acs: Vec<(String, &str)> = headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.as_str()))
        .filter(|(n, _)| n.starts_with("x-acs-"))
        .collect();
    acs.sort();
    for (name, value) in acs {
        string_to_sign.push_str(&name);
        string_to_sign.push(':');
        string_to_sign.push_str(value);
        string_to_sign.push('\n');
    }
    string_to_sign.push_str(path);
    if !query.is_empty() {
        let mut sorted: Vec<&(String, String)> = query.iter().collect();
        sorted.sort();
        string_to_sign.push('?');
        for (i, (name, value)) in sorted.into_iter().enumerate() {
            if i > 0 {
                string_to_sign.push('&');
            }
            string_to_sign.push_str(name);
            if !value.is_empty() {
                string_to_sign.push('=');
                string_to_sign.push_str(value);
            }
        }
    }
    let signature = base64::engine::general_purpose::STANDARD.encode(hmac_sha1(
        access_key_secret.as_bytes(),
        string_to_sign.as_bytes(),
    ));
    let authorization = format!("acs {access_key_id}:{signature}");
    (string_to_sign, authorization)
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so `new_from_slice` does not fail for it; the fallback
    // arm only exists to avoid a panic path.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => Hmac::<Sha256>::new(&Default::default()),
    };
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

fn hmac_sha1(key: &[u8], message: &[u8]) -> Vec<u8> {
    // See `hmac_sha256`: cannot fail for HMAC.
    let mut mac = match Hmac::<Sha1>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => Hmac::<Sha1>::new(&Default::default()),
    };
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}
