using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Baton.Persistence.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ApprovalExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "expires_at",
                table: "run_approvals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "approval_expiry_hours",
                table: "projects",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_run_approvals_expiry",
                table: "run_approvals",
                column: "expires_at",
                filter: "outcome = 'Pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_run_approvals_expiry",
                table: "run_approvals");

            migrationBuilder.DropColumn(
                name: "expires_at",
                table: "run_approvals");

            migrationBuilder.DropColumn(
                name: "approval_expiry_hours",
                table: "projects");
        }
    }
}
