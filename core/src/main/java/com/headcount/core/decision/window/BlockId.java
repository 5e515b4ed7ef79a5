package com.headcount.core.decision.window;

/**
 * One item of the window: a lane (event, participant, gate, direction) and a block of its grid. Each store names it
 * its own way (DynamoDB hashes long lanes into the key).
 */
public record BlockId(String lane, long block) {}
