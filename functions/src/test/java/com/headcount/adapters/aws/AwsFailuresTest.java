package com.headcount.adapters.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.headcount.core.decision.FailureClassifier.Kind;
import com.headcount.core.decision.FailureClassifier.TransientFailure;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

class AwsFailuresTest {

    static DynamoDbException dynamo(int status, String code, String message) {
        return (DynamoDbException) DynamoDbException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    @Test
    void whatTheScanCarriedIsItsOwnTheRestIsRetried() {
        assertEquals(Kind.PERMANENT, AwsFailures.classify(dynamo(400, "ValidationException",
                "Item size has exceeded the maximum allowed size")), "an item the store cannot hold");
        assertEquals(Kind.PERMANENT, AwsFailures.classify(dynamo(400, "ValidationException", "Number overflow")));
        assertEquals(Kind.TRANSIENT, AwsFailures.classify(dynamo(400, "ValidationException",
                "Value provided in ExpressionAttributeValues unused in expressions")), "our expression: wait for the fix");
        assertEquals(Kind.TRANSIENT, AwsFailures.classify(dynamo(500, "InternalServerError", "boom")));
        assertEquals(Kind.TRANSIENT, AwsFailures.classify((RuntimeException) ProvisionedThroughputExceededException.builder()
                .statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ProvisionedThroughputExceededException").build()).build()));
        assertEquals(Kind.TRANSIENT, AwsFailures.classify((RuntimeException) ResourceNotFoundException.builder()
                .statusCode(400).awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build())
                .build()), "a missing table is the deployment's fault, not the scan's");
        assertEquals(Kind.TRANSIENT, AwsFailures.classify(dynamo(400, "AccessDeniedException", "not allowed")));
        assertEquals(Kind.TRANSIENT, AwsFailures.classify(SdkClientException.create("connect timed out")));
        assertEquals(Kind.TRANSIENT, AwsFailures.classify(new TransientFailure("window kept changing")));
        assertEquals(Kind.PERMANENT, AwsFailures.classify(new ArithmeticException("long overflow")),
                "a scan our code cannot handle is refused, not retried forever");
    }
}
