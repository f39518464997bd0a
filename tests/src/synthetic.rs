//! Synthetic specs of any size, for measuring how generation cost grows with the number of
//! operations. Every operation has scalar, enum, list and object parameters, a nested response
//! and documented errors, so each stage of the pipeline has work to do.

use std::fmt::Write;

/// A valid RPC spec with `operations` operations.
pub fn spec(operations: usize) -> String {
    let mut out = String::from(
        r#"openapi: 3.0.3
info:
  title: Synthetic API
  version: "2024-01-01"
  x-acs-product: Synthetic
  x-acs-api-version: "2024-01-01"
  x-acs-style: rpc
servers:
  - url: https://synthetic.aliyuncs.com
paths:
"#,
    );
    for i in 0..operations {
        let name = format!("DescribeThing{i:04}");
        // `write!` into a String cannot fail.
        let _ = write!(
            out,
            r#"  /?Action={name}:
    post:
      operationId: {name}
      summary: Describes thing number {i}.
      x-acs-ram: {{action: "synthetic:{name}", access-level: read}}
      parameters:
        - {{name: ThingId, in: query, required: true, example: t-{i}, description: The thing., schema: {{type: string}}}}
        - {{name: PageSize, in: query, example: 10, schema: {{type: integer, format: int32}}}}
        - {{name: Mode, in: query, example: fast, schema: {{type: string, enum: [fast, slow, zh-cn]}}}}
        - name: Tags
          in: query
          x-acs-style: flat
          schema: {{type: array, items: {{$ref: '#/components/schemas/Tag'}}}}
        - name: Filter
          in: query
          x-acs-style: json
          schema: {{type: object, properties: {{Key: {{type: string}}, Values: {{type: array, items: {{type: string}}}}}}}}
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  RequestId: {{type: string, example: req-{i}}}
                  TotalCount: {{type: integer, format: int64}}
                  Things:
                    type: array
                    items:
                      type: object
                      properties:
                        ThingId: {{type: string}}
                        Status: {{type: string, enum: [Active, Inactive]}}
                        Tags: {{type: array, items: {{$ref: '#/components/schemas/Tag'}}}}
              examples:
                ok: {{value: {{RequestId: req-{i}, TotalCount: 1}}}}
        '400': {{description: Bad request}}
      x-acs-errors:
        - {{http-status: 400, code: InvalidParameter.ThingId, message: The ThingId is invalid.}}
        - {{http-status: 400, code: MissingParameter.ThingId, message: You must specify ThingId.}}
        - {{http-status: 404, code: EntityNotExists.Thing, message: The thing does not exist.}}
        - {{http-status: 429, code: Throttling.User, message: Too many requests.}}
        - {{http-status: 500, code: InternalError, message: Internal error.}}
"#
        );
    }
    out.push_str(
        r#"components:
  schemas:
    Tag:
      type: object
      properties:
        Key: {type: string, example: k}
        Value: {type: string, example: v}
"#,
    );
    out
}
