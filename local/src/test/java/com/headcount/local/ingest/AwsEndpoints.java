package com.headcount.local.ingest;

import java.net.URI;

/** Where the DynamoDB and Kinesis APIs answer: the npm emulators here, LocalStack where Docker exists. */
interface AwsEndpoints {
    URI dynamoDb();

    URI kinesis();
}
