package org.planetarymesh.it.sdk.readme;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;

public class Hello {
    public static void main(String[] args) {
        String url = System.getenv().getOrDefault("MESH_COORDINATOR", "http://localhost:7070");
        try (MeshClient mesh = MeshClient.connect(url, System.getenv("MESH_TOKEN"))) {
            var payload = JsonNodeFactory.instance.objectNode().put("hello", "mesh");
            Job job = mesh.submit(JobSpec.of("echo", payload));
            Job done = mesh.await(job.id(), Duration.ofSeconds(30));
            System.out.println(done.status() + " " + done.result());
        }
    }
}
