//! The signers in `acs_runtime::signing` against the 19 vectors of
//! `tests/fixtures/signing_vectors.json` (produced with the official Python SDK and
//! cross-checked with the official TypeScript library) and the published worked examples.

use acs_runtime::signing::{
    canonical_query, canonical_request_v3, encode_query, percent_encode, sha256_hex, sign_v1,
    sign_v3, HeaderSelection, V3Input, EMPTY_BODY_SHA256,
};
use serde::Deserialize;

const VECTORS_JSON: &str = include_str!("../fixtures/signing_vectors.json");

#[derive(Deserialize)]
struct VectorFile {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    id: String,
    algorithm: String,
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: String,
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    date: String,
    nonce: String,
    #[serde(default)]
    published: Option<serde_json::Value>,
    expected: serde_json::Map<String, serde_json::Value>,
}

impl Vector {
    fn expected(&self, key: &str) -> &str {
        self.expected
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("{}: expected.{key} missing", self.id))
    }

    fn v3_input(&self, header_selection: HeaderSelection) -> V3Input<'_> {
        V3Input {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &self.headers,
            body: self.body.as_bytes(),
            access_key_id: &self.access_key_id,
            access_key_secret: &self.access_key_secret,
            header_selection,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn vectors() -> Vec<Vector> {
    let file: VectorFile = serde_json::from_str(VECTORS_JSON).expect("fixture parses");
    file.vectors
}

#[test]
fn fixture_holds_19_vectors_10_v3_and_9_v1() {
    let all = vectors();
    assert_eq!(all.len(), 19);
    let v3 = all
        .iter()
        .filter(|v| v.algorithm == "ACS3-HMAC-SHA256")
        .count();
    let v1 = all.iter().filter(|v| v.algorithm == "HMAC-SHA1").count();
    assert_eq!((v3, v1), (10, 9));
}

#[test]
fn v3_vectors_match_canonical_request_string_to_sign_signature_and_authorization() {
    let mut checked = 0;
    for v in vectors()
        .into_iter()
        .filter(|v| v.algorithm == "ACS3-HMAC-SHA256")
    {
        // Vectors ending in -python-sdk-all-headers are signed the Python way (every header);
        // the others carry only host, content-type and x-acs-* headers.
        let selection = if v.id.ends_with("-python-sdk-all-headers") {
            HeaderSelection::All
        } else {
            HeaderSelection::Standard
        };
        let sig = sign_v3(&v.v3_input(selection));
        assert_eq!(
            sig.canonical_request,
            v.expected("canonical_request"),
            "{}: canonical request",
            v.id
        );
        assert_eq!(
            canonical_request_v3(&v.v3_input(selection)),
            sig.canonical_request,
            "{}",
            v.id
        );
        assert_eq!(
            sig.string_to_sign,
            v.expected("string_to_sign"),
            "{}: string to sign",
            v.id
        );
        assert_eq!(
            sig.signature,
            v.expected("signature"),
            "{}: signature",
            v.id
        );
        assert_eq!(
            sig.signed_headers,
            v.expected("signed_headers"),
            "{}: signed headers",
            v.id
        );
        assert_eq!(
            sig.authorization,
            v.expected("authorization"),
            "{}: authorization",
            v.id
        );
        // The canonical query is the third line of the canonical request.
        let third_line = sig.canonical_request.split('\n').nth(2).unwrap_or_default();
        assert_eq!(sig.canonical_query, third_line, "{}", v.id);
        // The payload hash header of every vector equals the hash of its body.
        assert_eq!(
            v.header("x-acs-content-sha256"),
            Some(sha256_hex(v.body.as_bytes()).as_str()),
            "{}",
            v.id
        );
        assert_eq!(v.header("x-acs-date"), Some(v.date.as_str()), "{}", v.id);
        assert_eq!(
            v.header("x-acs-signature-nonce"),
            Some(v.nonce.as_str()),
            "{}",
            v.id
        );
        if let Some(token) = &v.security_token {
            assert!(
                sig.signed_headers.contains("x-acs-security-token"),
                "{}",
                v.id
            );
            assert_eq!(
                v.header("x-acs-security-token"),
                Some(token.as_str()),
                "{}",
                v.id
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 10);
}

#[test]
fn python_all_headers_vectors_also_match_the_standard_header_rule() {
    let mut checked = 0;
    for v in vectors()
        .into_iter()
        .filter(|v| v.id.ends_with("-python-sdk-all-headers"))
    {
        let sig = sign_v3(&v.v3_input(HeaderSelection::Standard));
        assert_eq!(
            sig.authorization,
            v.expected("authorization_if_only_host_content_type_and_x_acs_headers_signed"),
            "{}",
            v.id
        );
        assert!(!sig.signed_headers.contains("user-agent"));
        assert!(!sig.signed_headers.contains("accept"));
        checked += 1;
    }
    assert_eq!(checked, 2);
}

#[test]
fn standard_and_all_selection_agree_when_only_signable_headers_are_given() {
    for v in vectors()
        .into_iter()
        .filter(|v| v.algorithm == "ACS3-HMAC-SHA256" && !v.id.ends_with("-python-sdk-all-headers"))
    {
        assert_eq!(
            sign_v3(&v.v3_input(HeaderSelection::All)),
            sign_v3(&v.v3_input(HeaderSelection::Standard)),
            "{}",
            v.id
        );
    }
}

#[test]
fn v1_vectors_match_canonicalized_query_string_to_sign_and_signature() {
    let mut checked = 0;
    for v in vectors().into_iter().filter(|v| v.algorithm == "HMAC-SHA1") {
        let sig = sign_v1(&v.method, &v.query, &v.access_key_secret);
        assert_eq!(
            sig.canonicalized_query,
            v.expected("canonicalized_query_string"),
            "{}: canonicalized query",
            v.id
        );
        assert_eq!(
            sig.string_to_sign,
            v.expected("string_to_sign"),
            "{}: string to sign",
            v.id
        );
        assert_eq!(
            sig.signature,
            v.expected("signature"),
            "{}: signature",
            v.id
        );
        assert_eq!(
            percent_encode(&sig.signature),
            v.expected("signature_query_value"),
            "{}: signature query value",
            v.id
        );
        assert_eq!(
            v.expected("hmac_key"),
            format!("{}&", v.access_key_secret),
            "{}",
            v.id
        );
        // A Signature pair in the input is never signed.
        let mut with_signature = v.query.clone();
        with_signature.push(("Signature".into(), sig.signature.clone()));
        assert_eq!(
            sign_v1(&v.method, &with_signature, &v.access_key_secret),
            sig,
            "{}",
            v.id
        );
        checked += 1;
    }
    assert_eq!(checked, 9);
}

#[test]
fn vectors_with_published_values_reproduce_them() {
    let mut checked = 0;
    for v in vectors() {
        let Some(published) = &v.published else {
            continue;
        };
        let published_sig = published["signature"]
            .as_str()
            .expect("published signature");
        if v.algorithm == "HMAC-SHA1" {
            let sig = sign_v1(&v.method, &v.query, &v.access_key_secret);
            assert_eq!(sig.signature, published_sig, "{}", v.id);
        } else {
            let sig = sign_v3(&v.v3_input(HeaderSelection::Standard));
            assert_eq!(sig.signature, published_sig, "{}", v.id);
            let hash = published["string_to_sign_hash"].as_str().expect("hash");
            assert_eq!(sig.string_to_sign, format!("ACS3-HMAC-SHA256\n{hash}"));
        }
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} published vectors");
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// ALIBABA_RPC.md §10, V3: "Request syntax and signature method V3", fixed parameter values.
#[test]
fn published_v3_run_instances_example() {
    let query = pairs(&[
        (
            "ImageId",
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
        ),
        ("RegionId", "cn-shanghai"),
    ]);
    let headers = pairs(&[
        ("host", "ecs.cn-shanghai.aliyuncs.com"),
        ("x-acs-action", "RunInstances"),
        ("x-acs-version", "2014-05-26"),
        ("x-acs-date", "2023-10-26T10:22:32Z"),
        ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
        ("x-acs-content-sha256", EMPTY_BODY_SHA256),
    ]);
    let sig = sign_v3(&V3Input {
        method: "POST",
        path: "/",
        query: &query,
        headers: &headers,
        body: b"",
        access_key_id: "YourAccessKeyId",
        access_key_secret: "YourAccessKeySecret",
        header_selection: HeaderSelection::Standard,
    });
    assert_eq!(
        sha256_hex(sig.canonical_request.as_bytes()),
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    );
    assert_eq!(
        sig.signature,
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );
    assert_eq!(
        sig.authorization,
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;\
         x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
         Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );
}

/// ALIBABA_RPC.md §10, V1 current page: DescribeDedicatedHosts.
#[test]
fn published_v1_describe_dedicated_hosts_example() {
    let params = pairs(&[
        ("Action", "DescribeDedicatedHosts"),
        ("Format", "JSON"),
        ("Version", "2014-05-26"),
        ("AccessKeyId", "testid"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("Timestamp", "2023-03-13T08:34:30Z"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb"),
        ("RegionId", "cn-beijing"),
    ]);
    let sig = sign_v1("GET", &params, "testsecret");
    assert_eq!(
        sig.canonicalized_query,
        "AccessKeyId=testid&Action=DescribeDedicatedHosts&Format=JSON&RegionId=cn-beijing&\
         SignatureMethod=HMAC-SHA1&SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb&\
         SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2014-05-26"
    );
    assert_eq!(sig.signature, "9NaGiOspFP5UPcwX8Iwt2YJXXuk=");
}

/// ALIBABA_RPC.md §10, V1 classic page: DescribeRegions, and its `TimeStamp` variant.
#[test]
fn published_v1_describe_regions_examples() {
    let params = pairs(&[
        ("Action", "DescribeRegions"),
        ("Format", "XML"),
        ("Version", "2014-05-26"),
        ("AccessKeyId", "testid"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
    ]);
    let sig = sign_v1("GET", &params, "testsecret");
    assert_eq!(
        sig.string_to_sign,
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26\
         SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26\
         SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    );
    assert_eq!(sig.signature, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    assert_eq!(
        percent_encode(&sig.signature),
        "OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"
    );

    let variant: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| {
            let k = if k == "Timestamp" { "TimeStamp" } else { k };
            (k.to_string(), v.clone())
        })
        .collect();
    assert_eq!(
        sign_v1("GET", &variant, "testsecret").signature,
        "CT9X0VtwR86fNWSnsc6v8YGOjuE="
    );
}

/// ALIBABA_RPC.md §4.
#[test]
fn percent_encoding_follows_rfc3986_unreserved_set() {
    let cases = [
        ("AZaz09-_.~", "AZaz09-_.~"),
        (" ", "%20"),
        ("*", "%2A"),
        ("~", "~"),
        ("/", "%2F"),
        ("+", "%2B"),
        ("=", "%3D"),
        ("&", "%26"),
        (":", "%3A"),
        ("@", "%40"),
        ("'", "%27"),
        ("!()", "%21%28%29"),
        ("张", "%E5%BC%A0"),
        ("%2F", "%252F"),
        ("%", "%25"),
        ("", ""),
        ("a b+c", "a%20b%2Bc"),
        ("é\u{1F600}", "%C3%A9%F0%9F%98%80"),
    ];
    for (raw, encoded) in cases {
        assert_eq!(percent_encode(raw), encoded, "encoding {raw:?}");
    }
}

#[test]
fn canonical_query_sorts_by_name_bytes_and_writes_empty_values() {
    assert_eq!(canonical_query(Vec::<(&str, &str)>::new()), "");
    assert_eq!(
        canonical_query([
            ("MessageTypes.2", "b"),
            ("MessageTypes.10", "j"),
            ("MessageTypes.1", "a"),
            ("Empty", ""),
            ("Name", "张三 Ops~Team"),
        ]),
        "Empty=&MessageTypes.1=a&MessageTypes.10=j&MessageTypes.2=b&Name=%E5%BC%A0%E4%B8%89%20Ops~Team"
    );
    // Uppercase sorts before lowercase (byte order), not alphabetically ignoring case.
    assert_eq!(
        canonical_query([("b", "1"), ("B", "2"), ("a", "3")]),
        "B=2&a=3&b=1"
    );
    // encode_query keeps the given order.
    assert_eq!(encode_query([("b", "x y"), ("a", "*")]), "b=x%20y&a=%2A");
}

#[test]
fn v3_canonical_headers_lowercase_trim_and_join_repeated_names() {
    let headers = pairs(&[
        ("X-Acs-Action", "  Act  "),
        ("Host", "h"),
        ("x-acs-meta", "b"),
        ("x-acs-meta", "a"),
        ("User-Agent", "ua"),
    ]);
    let input = V3Input {
        method: "post",
        path: "/",
        query: &[],
        headers: &headers,
        body: b"",
        access_key_id: "id",
        access_key_secret: "s",
        header_selection: HeaderSelection::Standard,
    };
    assert_eq!(
        canonical_request_v3(&input),
        format!(
            "POST\n/\n\nhost:h\nx-acs-action:Act\nx-acs-meta:a,b\n\nhost;x-acs-action;x-acs-meta\n{EMPTY_BODY_SHA256}"
        )
    );
}

#[test]
fn sha256_of_empty_body_constant_is_right() {
    assert_eq!(sha256_hex(b""), EMPTY_BODY_SHA256);
}
