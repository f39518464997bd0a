//! Cost of building the parameters of an UpdateMessageContact-like call and signing it, as
//! `ServiceClient` does for every attempt (fresh date and nonce included).

use std::hint::black_box;

use acs_runtime::{
    Config, Credentials, Endpoint, Params, ServiceClient, ServiceInfo, SignatureVersion,
};
use criterion::{criterion_group, criterion_main, Criterion};

static RDM: ServiceInfo = ServiceInfo {
    product: "ResourceDirectoryMaster",
    api_version: "2022-04-19",
    client: "acs-test/0.1.0",
    endpoint: Endpoint::Global {
        host: "resourcedirectory.aliyuncs.com",
    },
    region_endpoints: &[],
    vpc_endpoint: None,
    success_flag: None,
    auth: &[],
};

fn params() -> Params {
    let mut p = Params::new();
    p.put("ContactId", "c-qL4HqKONzOM7****");
    p.put("Name", "张三 Ops~Team");
    p.put("EmailAddress", "zhang.san@example.com");
    p.put("PhoneNumber", "86-13900001234");
    p.put("Title", "TechnicalDirector");
    p.put("Language", &Some("en-US"));
    p.put(
        "MessageTypes",
        &["AccountExpenses", "SecurityMessage", "ServiceMessage"],
    );
    p
}

fn bench_sign(c: &mut Criterion) {
    let credentials = Credentials::new("LTAI5tTestAccessKeyId", "TestAccessKeySecret/+=Example")
        .with_security_token("CAIS8gF1q6Ft5B2yfSjIr5bSEsnz+sts/token==");
    for (name, version) in [
        ("build_params_and_sign_v3", SignatureVersion::V3),
        ("build_params_and_sign_v1", SignatureVersion::V1),
    ] {
        let config = Config::new(credentials.clone()).with_signature_version(version);
        let client = ServiceClient::new(&config, &RDM);
        c.bench_function(name, |b| {
            b.iter(|| {
                let params = params();
                client.prepare_request(black_box("UpdateMessageContact"), &params)
            })
        });
    }
}

criterion_group!(benches, bench_sign);
criterion_main!(benches);
