package com.headcount.local.testing;

import java.net.URI;

/** Where the DynamoDB and Kinesis APIs answer: the npm emulators here, LocalStack where Docker exists. */
public interface AwsEndpoints {
    URI dynamoDb();

    URI kinesis();
}
