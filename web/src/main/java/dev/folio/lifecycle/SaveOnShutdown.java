package dev.folio.lifecycle;

import dev.folio.document.DocumentManager;
import jakarta.ejb.EJB;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Writes every open document's snapshot when the application stops. Payara Micro stops web
 * applications on SIGTERM but never calls {@code @PreDestroy} on EJBs (payara/Payara#4573).
 */
@WebListener
public class SaveOnShutdown implements ServletContextListener {

    @EJB
    DocumentManager manager;

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        manager.saveAll();
    }
}
